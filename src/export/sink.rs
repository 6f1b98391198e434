//! Where a rendering goes: standard output, or a `--out` path. A regular file (or a
//! new path) is written through a temporary file and a rename, so readers and a crash
//! see the old file or the new one, never half of one. Anything else the path names
//! (`/dev/null`, a terminal, a FIFO) is written straight: renaming over it would
//! replace the device node with a regular file.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub(crate) enum Sink {
    Stdout(io::StdoutLock<'static>),
    /// A device, FIFO or other non-regular file, opened for writing as it is.
    Direct {
        file: File,
        path: PathBuf,
    },
    /// A temporary file beside `path`, renamed over it on `commit`.
    Atomic {
        file: File,
        tmp: PathBuf,
        path: PathBuf,
    },
}

impl Sink {
    /// Standard output for `None`, else the path (see the module note).
    pub(crate) fn open(path: Option<&Path>) -> Result<Sink> {
        let Some(path) = path else {
            return Ok(Sink::Stdout(io::stdout().lock()));
        };
        // `metadata` follows symlinks: a link to /dev/null is written straight too.
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() && !m.is_dir() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                return Ok(Sink::Direct {
                    file,
                    path: path.to_path_buf(),
                });
            }
            _ => {}
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(Sink::Atomic {
            file,
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// Finish: flush, and for a regular file sync and rename it into place.
    pub(crate) fn commit(self) -> Result<()> {
        match self {
            Sink::Stdout(mut s) => s.flush().map_err(|e| Error::io("<stdout>", e)),
            Sink::Direct { mut file, path } => file.flush().map_err(|e| Error::io(&path, e)),
            Sink::Atomic { file, tmp, path } => {
                let done = file.sync_all().map_err(|e| Error::io(&tmp, e));
                drop(file);
                let done = done
                    .and_then(|_| std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e)));
                if done.is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
                done
            }
        }
    }

    /// Abandon a half-written output: the temporary file is removed.
    pub(crate) fn discard(self) {
        if let Sink::Atomic { file, tmp, .. } = self {
            drop(file);
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(s) => s.write(buf),
            Sink::Direct { file, .. } | Sink::Atomic { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.flush(),
            Sink::Direct { file, .. } | Sink::Atomic { file, .. } => file.flush(),
        }
    }
}

/// Write `render`'s output to `path` (or stdout) through a buffer; on failure a
/// temporary file is removed and the target left as it was.
pub(crate) fn write_to(
    path: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, Sink::open(path)?);
    let where_ = || {
        path.map(Path::to_path_buf)
            .unwrap_or_else(|| "<stdout>".into())
    };
    let written = render(&mut out).and_then(|_| out.flush().map_err(|e| Error::io(where_(), e)));
    let sink = match out.into_inner() {
        Ok(s) => s,
        Err(e) => {
            let (err, buffered) = e.into_parts();
            buffered.into_parts().0.discard();
            return Err(Error::io(where_(), err));
        }
    };
    match written {
        Ok(()) => sink.commit(),
        Err(e) => {
            sink.discard();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.md");
        std::fs::write(&p, "old").unwrap();
        write_to(Some(&p), |w| {
            w.write_all(b"new").map_err(|e| Error::io("x", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let failed = write_to(Some(&p), |w| {
            w.write_all(b"half").map_err(|e| Error::io("x", e))?;
            Err(Error::Other("render failed".into()))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        write_to(Some(Path::new("/dev/null")), |w| {
            w.write_all(b"gone").map_err(|e| Error::io("x", e))
        })
        .unwrap();
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(!m.is_file());
    }
}
