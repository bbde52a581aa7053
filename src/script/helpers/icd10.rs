//! ICD-10 codes: whether a code is well formed, its normal form, and whether it
//! lies in a range of categories.

use rhai::{Array, Dynamic, Engine, ImmutableString};

/// `A40`, `A41.9`, `C50.11`: a capital letter, two digits, optionally a dot and one
/// or two more letters or digits.
pub fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    let head =
        b.len() >= 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_digit();
    if !head {
        return false;
    }
    match &b[3..] {
        [] => true,
        [b'.', rest @ ..] => {
            (1..=2).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
        _ => false,
    }
}

/// The longest text read as one ICD-10 code or range. No code or range comes near
/// (`C18 - C20` is 9 characters), so longer text is malformed without being read.
const MAX_ICD10_TEXT: usize = 24;

/// An ICD-10 code or range as written, in its normal form: upper case, spaces around
/// it trimmed, a dotless code read with its dot (`I210` is `I21.0`: a letter, two
/// digits, then the rest after a dot), and a range of categories within one letter
/// read as each category (`C18-C20` is `C18`, `C19`, `C20`; an en dash is read as a
/// hyphen). `None` when it is none of these: a reversed range, a range across
/// letters or of subcodes, and text longer than any code are malformed.
pub fn icd10_normalise(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_ICD10_TEXT {
        return None;
    }
    let text = text.replace('\u{2013}', "-");
    if !text.is_ascii() {
        return None;
    }
    let text = text.to_ascii_uppercase();
    match text.split_once('-') {
        None => icd10_single(&text).map(|code| vec![code]),
        Some((from, to)) => {
            let (letter, first) = icd10_category(from.trim())?;
            let (to_letter, last) = icd10_category(to.trim())?;
            (letter == to_letter && first <= last).then(|| {
                (first..=last)
                    .map(|n| format!("{}{n:02}", char::from(letter)))
                    .collect()
            })
        }
    }
}

/// One code, well formed as written or once its dot is put back (`I210`, `C5011`).
fn icd10_single(code: &str) -> Option<String> {
    if is_icd10(code) {
        return Some(code.to_string());
    }
    if (4..=5).contains(&code.len()) && !code.contains('.') {
        let dotted = format!("{}.{}", &code[..3], &code[3..]);
        if is_icd10(&dotted) {
            return Some(dotted);
        }
    }
    None
}

/// A category (`C18`) as its letter and number.
fn icd10_category(code: &str) -> Option<(u8, u8)> {
    match code.as_bytes() {
        [letter, tens, ones]
            if letter.is_ascii_uppercase() && tens.is_ascii_digit() && ones.is_ascii_digit() =>
        {
            Some((*letter, (tens - b'0') * 10 + (ones - b'0')))
        }
        _ => None,
    }
}

/// Whether a well-formed code's category (`C50` of `C50.11`) lies in `from..=to`.
pub fn icd10_between(code: &str, from: &str, to: &str) -> bool {
    is_icd10(code) && {
        let category = &code[..3];
        from <= category && category <= to
    }
}

/// Registers `is_icd10`, `icd10_normalise` and `icd10_between`.
/// `icd10_normalise` as scripts call it: the normal form as an array of strings,
/// or `()` for a malformed code or anything but a string.
pub(super) fn normalised(code: &Dynamic) -> Dynamic {
    code.read_lock::<ImmutableString>()
        .and_then(|s| icd10_normalise(&s))
        .map_or(Dynamic::UNIT, |codes| {
            codes
                .into_iter()
                .map(Dynamic::from)
                .collect::<Array>()
                .into()
        })
}

/// `is_icd10` as scripts call it: false for anything but a string.
pub(super) fn is_icd10_value(code: &Dynamic) -> bool {
    code.read_lock::<ImmutableString>()
        .is_some_and(|s| is_icd10(&s))
}

pub(super) fn register(engine: &mut Engine) {
    register!(
        engine,
        "is_icd10",
        &["code: any", "bool"],
        "True for a well-formed ICD-10 code: A40, A41.9, C50.11.",
        |code: Dynamic| is_icd10_value(&code),
    );
    register!(
        engine,
        "icd10_normalise",
        &["code: any", "array | ()"],
        "The code or range in normal form, as an array: \" c50.9 \" is [\"C50.9\"], \"I210\" is [\"I21.0\"], \"C18-C20\" is [\"C18\", \"C19\", \"C20\"] (a range within one letter); () when malformed.",
        |code: Dynamic| -> Dynamic { normalised(&code) },
    );
    register!(
        engine,
        "icd10_between",
        &["code: string", "from: string", "to: string", "bool"],
        "True when a well-formed code's category lies in from..=to, e.g. icd10_between(c, \"C00\", \"D48\").",
        |code: ImmutableString, from: ImmutableString, to: ImmutableString| {
            icd10_between(&code, &from, &to)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_accepts_the_documented_shapes() {
        for ok in ["A40", "A41.9", "C50.11", "D48", "Z99.X"] {
            assert!(is_icd10(ok), "{ok}");
        }
    }

    #[test]
    fn icd10_rejects_malformed_codes() {
        for bad in [
            "", "A4", "40A", "a40", "A40.", "A40.123", "A401", "AA0", "A40-1", "A40 ",
        ] {
            assert!(!is_icd10(bad), "{bad}");
        }
    }

    /// The normal codes of `text`, joined by commas.
    fn normal(text: &str) -> Option<String> {
        icd10_normalise(text).map(|codes| codes.join(","))
    }

    #[test]
    fn icd10_normalise_keeps_normal_codes_as_they_are() {
        for code in ["A40", "A41.9", "C50.11", "Z99.X"] {
            assert_eq!(normal(code), Some(code.to_string()), "{code}");
        }
    }

    #[test]
    fn icd10_normalise_trims_spaces_and_reads_upper_case() {
        assert_eq!(normal(" c50.9 "), Some("C50.9".to_string()));
        assert_eq!(normal("i21"), Some("I21".to_string()));
        assert_eq!(normal("\tD48\n"), Some("D48".to_string()));
    }

    #[test]
    fn icd10_normalise_puts_the_dot_back() {
        assert_eq!(normal("I210"), Some("I21.0".to_string()));
        assert_eq!(normal("c5011"), Some("C50.11".to_string()));
        assert_eq!(normal("Z99X"), Some("Z99.X".to_string()));
    }

    #[test]
    fn icd10_normalise_reads_a_range_within_one_letter_as_its_categories() {
        assert_eq!(normal("C18-C20"), Some("C18,C19,C20".to_string()));
        assert_eq!(normal("c18 - c20"), Some("C18,C19,C20".to_string()));
        assert_eq!(normal("C18\u{2013}C19"), Some("C18,C19".to_string()));
        assert_eq!(normal("C50-C50"), Some("C50".to_string()));
        assert_eq!(normal("D08-D10"), Some("D08,D09,D10".to_string()));
        let whole_letter = icd10_normalise("A00-A99").expect("a whole letter");
        assert_eq!(whole_letter.len(), 100);
        assert_eq!((&*whole_letter[0], &*whole_letter[99]), ("A00", "A99"));
    }

    #[test]
    fn icd10_normalise_rejects_malformed_codes_and_ranges() {
        for bad in [
            "",
            "   ",
            "C5",
            "A40.",
            "A40.123",
            "A4012345",
            "C501234",
            "I 21",
            "I21 .0",
            "40A",
            "C20-C18",
            "C90-D10",
            "C18-",
            "-C20",
            "C18-C20-C22",
            "C18.1-C18.4",
            "C18-C20.9",
            "C00-C9999999999999999999",
            "C\u{0130}1",
            "Ä40",
        ] {
            assert_eq!(normal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn icd10_between_compares_categories() {
        assert!(icd10_between("C50.11", "C00", "D48"));
        assert!(icd10_between("D48.9", "C00", "D48"));
        assert!(!icd10_between("D49", "C00", "D48"));
        assert!(!icd10_between("A40", "C00", "D48"));
        assert!(!icd10_between("bad", "C00", "D48"));
    }
}
