import QRCode from 'qrcode'

/** Prints a QR code of `url` on stderr, for a phone's camera, with the URL under it. */
export async function printQrCode(url: string): Promise<void> {
  const code = await QRCode.toString(url, { type: 'terminal', small: true })
  process.stderr.write(`${code}\n${url}\n`)
}
