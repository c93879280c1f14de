import type express from 'express'

/**
 * The Content-Security-Policy of every page and script the server sends: scripts, Workers and connections
 * from this origin only (the user's module is bundled and served here, and runs only inside the Worker),
 * no plugins, no framing, no `<base>`. Styles may be inline: the pages carry their CSS in a `<style>`.
 * WebRTC is outside CSP's reach; the relay's ICE filter (`--ice-addresses`) is what restricts it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Adds the security headers to every response. */
export function securityHeaders(): express.Handler {
  return (_request, response, next) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    response.setHeader('X-Content-Type-Options', 'nosniff')
    response.setHeader('Referrer-Policy', 'no-referrer')
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    // Another site's page may not load anything of pando's, even by <script src> or <img>, which send no Origin.
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
    next()
  }
}
