//! Reading the model and writing results: bounded input, located decoding errors, write
//! errors that end in exit 2, and report files that are replaced atomically and never by
//! accident (not the model, not a device's node, not through a planted temporary file).

use anstream::eprint;
use anstyle::AnsiColor;
use hacalc::diagnostics::{Report, printable};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// One line `error: message` on standard error, red on a terminal.
pub fn error_line(msg: &str) -> String {
    let style = AnsiColor::Red.on_default().bold();
    format!("{style}error{style:#}: {}\n", printable(msg))
}

pub fn print_error(msg: &str) {
    eprint!("{}", error_line(msg));
}

/// Why reading failed: a message, or a located report (the file is not UTF-8).
pub enum ReadError {
    Message(String),
    Located(Report),
}

/// Reads FILE, or standard input for `-`, up to `max_bytes`. Returns the label messages use
/// for the file, and the text.
pub fn read_input(file: &str, max_bytes: u64) -> Result<(String, String), ReadError> {
    let label = if file == "-" { "<stdin>" } else { file }.to_string();
    let too_big = |size: u64| {
        ReadError::Message(format!(
            "{label}: the model is {:.1} MB, more than the limit of {} MB; raise it with --max-input-mb if the machine has the memory (reading takes about ten times the file's size)",
            size as f64 / 1e6,
            max_bytes >> 20
        ))
    };
    let cannot = |e: io::Error| ReadError::Message(format!("{label}: cannot read the model: {e}"));
    let mut bytes = Vec::new();
    if file == "-" {
        io::stdin()
            .take(max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() as u64 > max_bytes {
            return Err(too_big(bytes.len() as u64));
        }
    } else {
        let meta = std::fs::metadata(file).map_err(cannot)?;
        if meta.is_dir() {
            return Err(ReadError::Message(format!(
                "{label}: is a directory, not a model file"
            )));
        }
        if meta.len() > max_bytes {
            return Err(too_big(meta.len()));
        }
        // Sized up front: grown by doubling, a 5.6 MB model took an 8 MB buffer.
        bytes.reserve_exact(meta.len() as usize + 1);
        std::fs::File::open(file)
            .and_then(|f| f.take(max_bytes + 1).read_to_end(&mut bytes))
            .map_err(cannot)?;
        if bytes.len() as u64 > max_bytes {
            return Err(too_big(bytes.len() as u64));
        }
    }
    match hacalc::parse::decode(bytes) {
        Ok(text) => Ok((label, text)),
        Err((d, lossy)) => Err(ReadError::Located(Report::new(label, lossy, vec![d]))),
    }
}

/// Writes to standard output through `f`, styled (colour kept only on a terminal) or plain.
/// A closed pipe (`hacalc solve ... | head`) is not an error: the reader has what it wanted.
/// Any other failure is reported; the caller exits with 2.
pub fn to_stdout(styled: bool, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), ()> {
    let result = if styled {
        let mut out = anstream::stdout().lock();
        f(&mut out).and_then(|_| out.flush())
    } else {
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        f(&mut out).and_then(|_| out.flush())
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            print_error(&format!("cannot write to standard output: {e}"));
            Err(())
        }
    }
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                x.dev() == y.dev() && x.ino() == y.ino()
            }
            #[cfg(not(unix))]
            {
                let _ = (x, y);
                std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
            }
        }
        _ => false,
    }
}

/// Writes a report to `path`:
/// - a regular file (or a new one) is replaced atomically: the bytes go to a temporary file
///   created exclusively, with a random name, in the same folder, which is then renamed over
///   the target, so a reader never sees half a report and a failure leaves nothing behind;
/// - a symbolic link is followed and its regular target replaced; the link stays;
/// - a device or a pipe (`/dev/stdout`, a FIFO) is written through, never replaced;
/// - the model itself (`input`) and directories are refused.
pub fn write_report(path: &Path, bytes: &[u8], input: Option<&Path>) -> Result<(), String> {
    if path.as_os_str().is_empty() {
        return Err(
            "the output path is empty: give -o FILE, or -o - for standard output".to_string(),
        );
    }
    if let Some(input) = input
        && same_file(input, path)
    {
        return Err(format!(
            "{}: this is the model itself; the report would overwrite it (choose another path with -o)",
            path.display()
        ));
    }
    let target: PathBuf = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(t) => t,
            // `/dev/stdout` into a pipe links to `pipe:[N]`, which has no path; the link
            // itself opens it: write through it.
            Err(_) if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
                path.to_path_buf()
            }
            Err(e) => {
                return Err(format!(
                    "{}: a symbolic link whose target cannot be reached ({e})",
                    path.display()
                ));
            }
        },
        Ok(_) => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            return Err(format!(
                "{}: is a directory; give a file name with -o",
                path.display()
            ));
        }
        Ok(meta) if !meta.is_file() => {
            // A pipe that nobody reads would block the open forever: refuse it at once.
            #[cfg(unix)]
            {
                use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
                // O_NONBLOCK (Linux and the BSDs differ; 0o4000 is Linux's, 4 the BSDs').
                const O_NONBLOCK: i32 = if cfg!(target_os = "linux") { 0o4000 } else { 4 };
                if meta.file_type().is_fifo() {
                    // Opened without blocking (it fails at once with no reader), and written
                    // through the same descriptor: a second open would race the reader.
                    let mut pipe = std::fs::OpenOptions::new()
                        .write(true)
                        .custom_flags(O_NONBLOCK)
                        .open(&target)
                        .map_err(|_| {
                            format!(
                                "{}: a named pipe that no process is reading; start the reader first, or write to a file",
                                path.display()
                            )
                        })?;
                    let mut rest = bytes;
                    while !rest.is_empty() {
                        match pipe.write(rest) {
                            Ok(0) => {
                                return Err(format!(
                                    "{}: the reader closed the pipe",
                                    path.display()
                                ));
                            }
                            Ok(k) => rest = &rest[k..],
                            // The pipe is full: the reader is behind.
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                                std::thread::sleep(std::time::Duration::from_millis(1))
                            }
                            Err(e) => return Err(format!("{}: {e}", path.display())),
                        }
                    }
                    return Ok(());
                }
            }
            // A device or a pipe: write through it, never replace it.
            return std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .and_then(|mut f| f.write_all(bytes).and_then(|_| f.flush()))
                .map_err(|e| format!("{}: {e}", path.display()));
        }
        _ => {}
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: io::Error| format!("{}: {e}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".hacalc-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.flush())
        .map_err(fail)?;
    let permissions = match std::fs::metadata(&target) {
        Ok(m) => m.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                tmp.as_file().metadata().map_err(fail)?.permissions()
            }
        }
    };
    tmp.as_file().set_permissions(permissions).map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Progress bars on standard error for steps that run longer than a second, on a terminal
/// only (indicatif draws nothing when standard error is not a terminal, so logs and pipes
/// stay clean).
pub struct Bars;

struct Bar {
    what: String,
    total: u64,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl hacalc::progress::Reporter for Bars {
    fn start(&self, what: &str, total: u64) -> Box<dyn hacalc::progress::Step> {
        Box::new(Bar {
            what: what.to_string(),
            total,
            started: std::time::Instant::now(),
            bar: None,
        })
    }
}

impl hacalc::progress::Step for Bar {
    fn set(&mut self, done: u64) {
        if self.bar.is_none() {
            if self.started.elapsed() < std::time::Duration::from_secs(1) {
                return;
            }
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(self.total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} {bar:30} {pos}/{len} ({elapsed}, about {eta} left)",
            ) {
                bar.set_style(style);
            }
            bar.set_message(self.what.clone());
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(done);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
