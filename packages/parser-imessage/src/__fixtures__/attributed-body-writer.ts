/**
 * Writes `attributedBody` blobs the way Messages does for a plain message: an
 * NSMutableAttributedString over an NSMutableString, one attribute run marking message part 0.
 * The class layout and tail are byte-for-byte those of real blobs; only the text and the two
 * lengths change.
 */
const HEAD = Buffer.from(
  '040b73747265616d747970656481e803840140848484194e534d757461626c6541747472696275746564537472696e67008484124e5341747472696275746564537472696e67008484084e534f626a656374008592848484' +
    '0f4e534d757461626c65537472696e67018484084e53537472696e670195' +
    '84012b',
  'hex',
);
const RUN_TYPES = Buffer.from('8684026949', 'hex');
const TAIL = Buffer.from(
  '928484840c4e5344696374696f6e617279009584016901928498981d5f5f6b494d4d657373616765506172744174747269627574654e616d65869284848408' +
    '4e534e756d626572008484074e5356616c7565009584012a849b9b00868686',
  'hex',
);

/** A typedstream integer: one byte, or 0x81 + int16, or 0x82 + int32, little-endian. */
export function encodeInteger(value: number): Buffer {
  if (value >= 0 && value <= 0x7f) return Buffer.from([value]);
  if (value >= -0x8000 && value <= 0x7fff) {
    const out = Buffer.alloc(3);
    out[0] = 0x81;
    out.writeInt16LE(value, 1);
    return out;
  }
  const out = Buffer.alloc(5);
  out[0] = 0x82;
  out.writeInt32LE(value, 1);
  return out;
}

export function encodeAttributedBody(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([
    HEAD,
    encodeInteger(bytes.length),
    bytes,
    RUN_TYPES,
    Buffer.from([0x01]),
    encodeInteger(text.length),
    TAIL,
  ]);
}
