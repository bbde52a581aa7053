//! Standard output for every command, checked: a reader that went away (a closed
//! pipe) stops the work and the command ends quietly, as Unix tools do (exit code
//! 141, no message); any other failure to write (a full disk) is an error naming
//! what failed, exit code 2. Nothing here panics.

use super::Exit;
use std::io::{self, Write};

/// Buffered, checked standard output. The first failure is kept; later writes are
/// skipped, and [`Out::finish`] turns it into the command's exit code.
pub struct Out {
    inner: io::BufWriter<Box<dyn Write>>,
    failure: Option<io::Error>,
}

/// Output could not be written: stop the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

impl Out {
    /// Standard output.
    pub fn stdout() -> Out {
        Out::to(Box::new(io::stdout()))
    }

    /// Any writer (for tests).
    pub fn to(writer: Box<dyn Write>) -> Out {
        Out {
            inner: io::BufWriter::with_capacity(64 * 1024, writer),
            failure: None,
        }
    }

    /// Writes `text`; `Err` once output has failed.
    pub fn print(&mut self, text: &str) -> Result<(), Stopped> {
        self.print_bytes(text.as_bytes())
    }

    /// Writes `text`, already UTF-8 bytes; `Err` once output has failed.
    pub fn print_bytes(&mut self, text: &[u8]) -> Result<(), Stopped> {
        if self.failure.is_some() {
            return Err(Stopped);
        }
        match self.inner.write_all(text) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.failure = Some(e);
                Err(Stopped)
            }
        }
    }

    /// Hands what was written on to the reader now.
    pub fn flush(&mut self) -> Result<(), Stopped> {
        if self.failure.is_some() {
            return Err(Stopped);
        }
        match self.inner.flush() {
            Ok(()) => Ok(()),
            Err(e) => {
                self.failure = Some(e);
                Err(Stopped)
            }
        }
    }

    /// Flushes and says how the command ends: `exit` when everything was written;
    /// [`Exit::Closed`] quietly when the reader went away; otherwise
    /// [`Exit::CannotRun`] with the reason on standard error.
    pub fn finish(mut self, exit: Exit) -> Exit {
        let _ = self.flush();
        match self.failure.take() {
            None => exit,
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => Exit::Closed,
            Some(e) => {
                super::note(&format!("hds: cannot write to standard output: {e}"));
                Exit::CannotRun
            }
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return Err(io::Error::other("output already failed"));
        }
        self.inner.write(buf).inspect_err(|e| {
            self.failure = Some(io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failure.is_some() {
            return Err(io::Error::other("output already failed"));
        }
        self.inner.flush().inspect_err(|e| {
            self.failure = Some(io::Error::new(e.kind(), e.to_string()));
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(self.0))
        }
    }

    #[test]
    fn a_closed_pipe_ends_quietly_and_a_full_disk_cannot_run() {
        let mut out = Out::to(Box::new(Failing(io::ErrorKind::BrokenPipe)));
        let _ = out.print("x");
        assert_eq!(out.finish(Exit::Ok), Exit::Closed);
        let mut out = Out::to(Box::new(Failing(io::ErrorKind::StorageFull)));
        let _ = out.print("x");
        assert_eq!(out.finish(Exit::Ok), Exit::CannotRun);
        let out = Out::to(Box::new(Vec::new()));
        assert_eq!(out.finish(Exit::BadInput), Exit::BadInput);
    }

    #[test]
    fn writes_after_a_failure_are_refused() {
        let mut out = Out::to(Box::new(Failing(io::ErrorKind::BrokenPipe)));
        let _ = out.print(&"x".repeat(100_000));
        assert_eq!(out.print("y"), Err(Stopped));
        assert_eq!(out.flush(), Err(Stopped));
    }
}
