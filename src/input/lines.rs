//! Lines read from any stream with a bound on what is kept: a line longer than the
//! record limit is counted, not stored, so a file without line ends (a link to
//! `/dev/zero`) never grows memory; past [`ENDLESS_LINE`] bytes the stream is given
//! up as having no next record to find.
//!
//! A line ends at `\n` (a `\r` before it is not kept). Read with [`Lines::yaml`], a
//! lone `\r` ends a line too, as it does for the YAML reader (the old Mac line end),
//! so document markers, blank lines and line numbers agree with what it reads.

use std::io::{BufRead, ErrorKind};

/// How far a line may run without a line end before the rest of its stream is given
/// up: no record can be found after it.
pub const ENDLESS_LINE: u64 = 64 << 20;

/// One line of a stream, without its line end.
#[derive(Debug)]
pub struct Line {
    /// Its 1-based number in the stream.
    pub number: usize,
    /// Its first bytes, at most the `keep` asked for.
    pub bytes: Vec<u8>,
    /// Its whole length in bytes.
    pub len: u64,
}

impl Line {
    /// Whether every byte kept was kept (the line is not longer than `keep`).
    pub fn whole(&self) -> bool {
        self.len == self.bytes.len() as u64
    }

    /// Nothing but spaces and tabs (or a lone `\r`).
    pub fn is_blank(&self) -> bool {
        self.whole() && self.bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
    }
}

/// What the next read gave.
#[derive(Debug)]
pub enum Next {
    /// A line.
    Line(Line),
    /// The end of the stream.
    End,
    /// A line ran past [`ENDLESS_LINE`] bytes without ending (its number).
    Endless(usize),
    /// The stream failed at this line.
    Failed(usize, std::io::Error),
}

/// Reads lines one at a time from a buffered stream.
pub struct Lines<R> {
    inner: R,
    number: usize,
    /// Whether a lone `\r` ends a line.
    lone_cr: bool,
    /// The last line ended at a `\r` that was the last byte read so far: a `\n`
    /// right after it belongs to that line end.
    after_cr: bool,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `inner`, numbered from 1, ending at `\n` (JSON Lines).
    pub fn new(inner: R) -> Self {
        Lines {
            inner,
            number: 0,
            lone_cr: false,
            after_cr: false,
        }
    }

    /// Lines of `inner`, numbered from 1, ending at `\n`, `\r\n` or a lone `\r`
    /// (YAML, and standard input, whose records may be YAML); a line that opens
    /// with `{` (after a byte-order mark), a JSON record, ends only at `\n`, as
    /// JSON Lines do, a lone `\r` in it being whitespace.
    pub fn yaml(inner: R) -> Self {
        Lines {
            lone_cr: true,
            ..Lines::new(inner)
        }
    }

    /// The next line, keeping at most `keep` of its bytes.
    pub fn next_line(&mut self, keep: usize) -> Next {
        let mut bytes = Vec::new();
        let mut len = 0u64;
        let mut any = false;
        let mut split_cr = self.lone_cr;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Next::Failed(self.number + 1, e),
            };
            if std::mem::take(&mut self.after_cr) && buf.first() == Some(&b'\n') {
                self.inner.consume(1);
                continue;
            }
            if buf.is_empty() {
                if !any {
                    return Next::End;
                }
                break;
            }
            if !any && split_cr {
                let start = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
                split_cr = start.first() != Some(&b'{');
            }
            any = true;
            let end = if split_cr {
                memchr::memchr2(b'\n', b'\r', buf)
            } else {
                memchr::memchr(b'\n', buf)
            };
            let chunk = &buf[..end.unwrap_or(buf.len())];
            let room = keep.saturating_sub(bytes.len()).min(chunk.len());
            bytes.extend_from_slice(&chunk[..room]);
            len += chunk.len() as u64;
            let ending = match end {
                Some(at) if buf[at] == b'\r' => match buf.get(at + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    None => {
                        self.after_cr = true;
                        1
                    }
                },
                Some(_) => 1,
                None => 0,
            };
            let used = chunk.len() + ending;
            self.inner.consume(used);
            if end.is_some() {
                break;
            }
            if len > ENDLESS_LINE {
                self.number += 1;
                return Next::Endless(self.number);
            }
        }
        self.number += 1;
        if len == bytes.len() as u64 && bytes.last() == Some(&b'\r') {
            bytes.pop();
            len -= 1;
        }
        Next::Line(Line {
            number: self.number,
            bytes,
            len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_counted_not_kept() {
        let text = format!("{}\nshort\r\nlast", "x".repeat(100));
        let mut lines = Lines::new(text.as_bytes());
        let Next::Line(first) = lines.next_line(10) else {
            panic!("a line")
        };
        assert_eq!(
            (first.bytes.len(), first.len, first.whole()),
            (10, 100, false)
        );
        let Next::Line(second) = lines.next_line(10) else {
            panic!("a line")
        };
        assert_eq!((second.number, second.bytes.as_slice()), (2, &b"short"[..]));
        let Next::Line(third) = lines.next_line(10) else {
            panic!("a line")
        };
        assert_eq!(third.bytes, b"last");
        assert!(matches!(lines.next_line(10), Next::End));
    }

    /// Every line of `text` read in chunks of `size` bytes, with the lone `\r` of
    /// YAML or not.
    fn all(text: &[u8], size: usize, yaml: bool) -> Vec<(usize, String)> {
        let reader = std::io::BufReader::with_capacity(size, text);
        let mut lines = if yaml {
            Lines::yaml(reader)
        } else {
            Lines::new(reader)
        };
        let mut out = Vec::new();
        loop {
            match lines.next_line(100) {
                Next::Line(l) => {
                    out.push((l.number, String::from_utf8_lossy(&l.bytes).into_owned()))
                }
                Next::End => return out,
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_yaml_line_and_crlf_is_one_end() {
        let text = b"---\r# c\rid: A\r\nb: 2\r\r\nlast";
        let want: Vec<(usize, String)> = ["---", "# c", "id: A", "b: 2", "", "last"]
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect();
        // In every chunk size, so a `\r\n` split between two reads is one line end.
        for size in 1..=text.len() {
            assert_eq!(all(text, size, true), want, "chunks of {size}");
        }
        assert_eq!(all(b"a\r", 1, true), [(1, "a".to_string())]);
        assert_eq!(all(b"a\r\n", 2, true), [(1, "a".to_string())]);
        // JSON Lines end at `\n` only.
        assert_eq!(
            all(b"{\"a\": 1,\r\"b\": 2}\r\nx", 4, false),
            [
                (1, "{\"a\": 1,\r\"b\": 2}".to_string()),
                (2, "x".to_string())
            ]
        );
    }

    #[test]
    fn a_json_record_on_a_yaml_stream_ends_only_at_a_line_feed() {
        let text = b"{\"a\": 1,\r\"b\": 2}\r\nid: A\rb: 2\n\xEF\xBB\xBF{\"c\":\r3}";
        for size in 1..=text.len() {
            let lines = all(text, size, true);
            assert_eq!(
                lines[0],
                (1, "{\"a\": 1,\r\"b\": 2}".to_string()),
                "chunks of {size}"
            );
            assert_eq!(lines[1], (2, "id: A".to_string()), "chunks of {size}");
            assert_eq!(lines[2], (3, "b: 2".to_string()), "chunks of {size}");
        }
        assert_eq!(
            all(text, 64, true)[3],
            (4, "\u{feff}{\"c\":\r3}".to_string())
        );
    }

    #[test]
    fn a_stream_without_line_ends_is_given_up_without_growing() {
        let zeros = std::io::BufReader::new(std::io::repeat(0));
        let mut lines = Lines::new(zeros);
        assert!(matches!(lines.next_line(16), Next::Endless(1)));
    }
}
