import QRCode from "qrcode";

/**
 * The enrolment QR code, rendered on the server as SVG.
 *
 * Safe to inline (dangerouslySetInnerHTML): the SVG is made of numbers only
 * (a viewBox and the path of the dark modules) and two fixed colours; the
 * encoded text never appears in it as text, so even a hostile account name
 * in the URI cannot add markup. The URI is ours anyway (otpauthUri).
 *
 * The SVG has a viewBox and no width: it fills its container, which sets the
 * size, and gives it its accessible name (the page's translated "QR code").
 */

/** Error correction M (~15% of the symbol recoverable): a phone reads it off a screen; higher levels only make it denser. */
const ERROR_CORRECTION_LEVEL = "M";
/** The quiet zone around the symbol, in modules: 4 is what the QR code standard (ISO/IEC 18004) requires. */
export const TOTP_QR_MARGIN_MODULES = 4;

/** The QR code of an `otpauth://totp/` URI, as an SVG string. */
export async function totpQrSvg(otpauthUri: string): Promise<string> {
  // Only enrolment URIs: a QR code of anything else here would be a bug.
  if (!otpauthUri.startsWith("otpauth://totp/")) throw new TypeError("totpQrSvg: expected an otpauth://totp/ URI");
  return QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: ERROR_CORRECTION_LEVEL, margin: TOTP_QR_MARGIN_MODULES });
}
