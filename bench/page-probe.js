// Injected into every volunteer tab before its own scripts (playwright's addInitScript). It records, in the
// tab's performance.now() milliseconds, when the page loaded, when it was ready (#status waiting-for-work or working:
// a Worker and a parent) and when it got its first item (#status working, or #processed above 0), as the
// elements change (a MutationObserver, no polling); window.__pandoBenchRead() returns that and what the page
// shows. Plain JavaScript, not TypeScript: tsx would add helpers that do not exist in the page.
/* global window, document, performance, addEventListener, MutationObserver */
;(() => {
  const record = { loadAt: null, readyAt: null, firstItemAt: null, firstProcessedAt: null }
  const text = (id) => {
    const element = document.getElementById(id)
    return element === null ? null : element.textContent
  }
  window.__pandoBenchRead = () => {
    const message = document.getElementById('message')
    return {
      record,
      timeOrigin: performance.timeOrigin,
      processed: Number(text('processed') ?? 0),
      transport: text('transport'),
      depth: text('depth'),
      message: message !== null && !message.hidden ? message.textContent : null,
    }
  }
  addEventListener('load', () => {
    record.loadAt = performance.now()
  })
  const watch = () => {
    const status = document.getElementById('status')
    const processed = document.getElementById('processed')
    if (status === null || processed === null) return
    const check = (changes) => {
      const at = performance.now()
      const state = status.dataset.status
      // A status may go working → waiting-for-work within one task: the old values tell.
      const wasWorking = changes.some((change) => change.target === status && change.oldValue === 'working')
      const hasItems = state === 'working' || wasWorking
      const hasOutcomes = Number(processed.textContent) > 0
      if (record.readyAt === null && (state === 'waiting-for-work' || hasItems)) record.readyAt = at
      if (record.firstProcessedAt === null && hasOutcomes) record.firstProcessedAt = at
      if (record.firstItemAt === null && (hasItems || hasOutcomes)) record.firstItemAt = at
    }
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeOldValue: true,
      attributeFilter: ['data-status'],
    })
    check([])
  }
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', watch)
  else watch()
})()
