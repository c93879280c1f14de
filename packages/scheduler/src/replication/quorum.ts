/** One copy's result, and the volunteer (the root's sub-stream) that gave it. */
export interface Answer {
  readonly by: string
  readonly result: string
}

/** What the answers of an item's copies decide (SPEC 55). */
export type Judgement =
  /** One result won: the answers that gave it agreed, the others were outvoted. */
  | {
      readonly kind: 'agreed'
      readonly result: string
      readonly agreed: string[]
      readonly outvoted: string[]
    }
  /** No result won yet: one more copy is needed, on another volunteer. */
  | { readonly kind: 'more' }

/**
 * Judges the answers of an item's copies once none is outstanding (SPEC 55): with `replicas` N, N answers
 * that all give one result agree; otherwise a result wins when it holds a strict majority of at least N + 1
 * answers. Results are compared as the output lines they would become, character for character.
 */
export function judge(answers: readonly Answer[], replicas: number): Judgement {
  const votes = new Map<string, number>()
  let top = ''
  let topVotes = 0
  for (const { result } of answers) {
    const count = (votes.get(result) ?? 0) + 1
    votes.set(result, count)
    if (count > topVotes) {
      top = result
      topVotes = count
    }
  }
  const total = answers.length
  const unanimous = total >= replicas && topVotes === total
  const majority = total >= replicas + 1 && topVotes * 2 > total
  if (!unanimous && !majority) return { kind: 'more' }
  const agreed: string[] = []
  const outvoted: string[] = []
  for (const answer of answers) (answer.result === top ? agreed : outvoted).push(answer.by)
  return { kind: 'agreed', result: top, agreed, outvoted }
}
