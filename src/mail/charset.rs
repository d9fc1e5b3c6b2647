//! Character sets of text parts: the bytes of a body part (after its Content-Transfer-Encoding
//! is undone) become text a person can read, whatever the part's `charset` parameter says.
//!
//! Rules, in order:
//! 1. Bytes that are valid UTF-8 and carry no ISO-2022 escape (ESC, 0x1B) are UTF-8 whenever
//!    the label is missing, US-ASCII or a single-byte charset (ISO-8859-*, windows-125x…): a
//!    UTF-8 body labelled `windows-1252` is the common mislabel, and decoding it as labelled
//!    gives mojibake ("â€™").
//! 2. A label the WHATWG Encoding Standard knows (via `encoding_rs`) is used as given.
//! 3. With no label, the encoding is guessed with `chardetng` (the detector Firefox uses),
//!    ISO-2022-JP allowed (RFC 1468 mail is 7-bit with escapes).
//! 4. A label nobody knows, on bytes that are not UTF-8, is unreadable: the caller flags it.
//!
//! Before all of these: a UTF-16 label on bytes with no zero byte is wrong (UTF-16 text has
//! one in every line break, space and Latin letter): valid UTF-8 (ASCII included) is read as
//! UTF-8, anything else is unreadable, never decoded into CJK nonsense.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// A text part decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding used (its WHATWG name, e.g. `UTF-8`, `ISO-2022-JP`).
    pub encoding: &'static str,
}

/// Why a part's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CharsetError {
    #[error("body in an unknown character set `{0}`")]
    UnknownLabel(String),
    #[error("body labelled `{0}` but not UTF-16 (no zero bytes) nor UTF-8: not read")]
    NotUtf16(String),
}

fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE
}

/// Decodes `bytes` labelled with `label` (the `charset` parameter, if any); see the module
/// documentation for the rules. Never mixes replacement characters into valid UTF-8.
pub fn decode_text(bytes: &[u8], label: Option<&str>) -> Result<Decoded, CharsetError> {
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    let labelled = label.and_then(|l| Encoding::for_label(l.as_bytes()));
    let has_escape = bytes.contains(&0x1b);
    let utf8 = std::str::from_utf8(bytes).ok();
    if labelled.is_some_and(is_utf16) && !bytes.contains(&0) {
        // UTF-16 gives every line break, space and Latin letter a zero byte: bytes without
        // one are 8-bit text under a wrong label, and decoding them as UTF-16 makes CJK
        // nonsense that could be matched and answered
        return match utf8 {
            Some(text) => Ok(Decoded {
                text: text.to_string(),
                encoding: encoding_rs::UTF_8.name(),
            }),
            None => Err(CharsetError::NotUtf16(
                label.unwrap_or_default().to_string(),
            )),
        };
    }
    if let Some(text) = utf8 {
        let single_byte_label = labelled.is_none_or(|e| e.is_single_byte());
        if !has_escape && single_byte_label && label.is_none_or(|_| labelled.is_some()) {
            return Ok(Decoded {
                text: text.to_string(),
                encoding: encoding_rs::UTF_8.name(),
            });
        }
    }
    let encoding = match (label, labelled) {
        (_, Some(e)) => e,
        (None, None) => {
            let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
            detector.feed(bytes, true);
            detector.guess(None, Utf8Detection::Allow)
        }
        (Some(l), None) => match utf8 {
            Some(text) => {
                return Ok(Decoded {
                    text: text.to_string(),
                    encoding: encoding_rs::UTF_8.name(),
                })
            }
            None => return Err(CharsetError::UnknownLabel(l.to_string())),
        },
    };
    let (text, _, _) = encoding.decode(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What, the bytes, their label, text the result must hold, the encoding used.
    type Case<'a> = (&'a str, &'a [u8], Option<&'a str>, &'a str, &'a str);

    #[test]
    fn charsets_missing_wrong_and_right() {
        let jp = b"Hello\r\n\x1b$B$*@$OC$K$J$C$F$*$j$^$9!#\x1b(B\r\n";
        let cases: &[Case] = &[
            (
                "no label, ISO-2022-JP",
                jp,
                None,
                "お世話になっております。",
                "ISO-2022-JP",
            ),
            (
                "no label, UTF-8",
                "café’s".as_bytes(),
                None,
                "café’s",
                "UTF-8",
            ),
            (
                "UTF-8 labelled windows-1252",
                "it’s".as_bytes(),
                Some("windows-1252"),
                "it’s",
                "UTF-8",
            ),
            (
                "UTF-8 labelled us-ascii",
                "naïve".as_bytes(),
                Some("us-ascii"),
                "naïve",
                "UTF-8",
            ),
            (
                "real windows-1252",
                b"it\x92s caf\xe9",
                Some("windows-1252"),
                "it’s café",
                "windows-1252",
            ),
            (
                "real latin-1",
                b"Gr\xfc\xdfe",
                Some("iso-8859-1"),
                "Grüße",
                "windows-1252",
            ),
            (
                "labelled ISO-2022-JP",
                jp,
                Some("iso-2022-jp"),
                "お世話になっております。",
                "ISO-2022-JP",
            ),
            (
                "no label, windows-1252 bytes",
                b"Caf\xe9 cr\xe8me br\xfbl\xe9e, s'il vous pla\xeet",
                None,
                "Café crème brûlée",
                "windows-1252",
            ),
            (
                "unknown label on UTF-8",
                "résumé".as_bytes(),
                Some("x-made-up"),
                "résumé",
                "UTF-8",
            ),
        ];
        for (what, bytes, label, expect, encoding) in cases {
            let d = decode_text(bytes, *label).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(d.text.contains(expect), "{what}: {:?}", d.text);
            assert!(
                !d.text.contains('\u{1b}') && !d.text.contains("â€"),
                "{what}: {:?}",
                d.text
            );
            assert_eq!(d.encoding, *encoding, "{what}");
        }
    }

    #[test]
    fn an_unknown_label_on_bytes_that_are_not_utf8_is_unreadable() {
        assert_eq!(
            decode_text(b"\xff\xfe\x81 text", Some("x-made-up")),
            Err(CharsetError::UnknownLabel("x-made-up".into()))
        );
    }

    #[test]
    fn a_utf16_label_on_8_bit_text_is_not_decoded_as_utf16() {
        let ascii = b"How many days a week is FPT?\r\nThanks";
        for label in ["utf-16", "UTF-16LE", "utf-16be"] {
            let d = decode_text(ascii, Some(label)).unwrap();
            assert_eq!(d.text, "How many days a week is FPT?\r\nThanks", "{label}");
            assert_eq!(d.encoding, "UTF-8");
            let d = decode_text("café’s day".as_bytes(), Some(label)).unwrap();
            assert_eq!(d.text, "café’s day", "{label}");
            // neither UTF-16 nor UTF-8: flagged, never guessed
            assert!(decode_text(b"caf\xe9 day", Some(label)).is_err(), "{label}");
        }
        // real UTF-16 still decodes
        let utf16: Vec<u8> = "Is FPT paid?\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode_text(&utf16, Some("utf-16le")).unwrap().text,
            "Is FPT paid?\n"
        );
    }
}
