import { ACCESS_TOKEN_PARAMETER } from './constants.ts'

/** The WHATWG URL, which browsers and Node both have (this package is built without the types of either). */
declare const URL: new (
  url: string,
  base?: string,
) => {
  href: string
  hash: string
  readonly searchParams: { get(name: string): string | null; set(name: string, value: string): void }
}

/**
 * `url` resolved against `pageUrl`, carrying the page's own access token (its `?token=`) if it has one: how
 * the volunteer page and the dashboard reach the run's files, feeds and sockets, which the server refuses
 * without it. The result has no fragment.
 */
export function withPageToken(url: string, pageUrl: string): string {
  const resolved = new URL(url, pageUrl)
  resolved.hash = ''
  const token = new URL(pageUrl).searchParams.get(ACCESS_TOKEN_PARAMETER)
  if (token !== null) resolved.searchParams.set(ACCESS_TOKEN_PARAMETER, token)
  return resolved.href
}
