/** Prints a QR code of `url` on stderr, for a phone's camera, with the URL under it. */
export async function printQrCode(url: string): Promise<void> {
  // Loaded only when asked for (--qr): most runs print none.
  const { default: QRCode } = await import('qrcode')
  const code = await QRCode.toString(url, { type: 'terminal', small: true })
  process.stderr.write(`${code}\n${url}\n`)
}
