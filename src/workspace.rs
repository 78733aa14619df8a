//! Paths to sources: walking directories (with `ignore`, honouring
//! `.gitignore`), reading files, and the source map that turns byte offsets
//! into lines and columns. Nothing here parses.

use crate::diagnostic::FileId;
use std::path::{Component, Path, PathBuf};

/// One source text and its line index.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as shown to users.
    pub path: String,
    pub text: String,
    /// Where each line starts, made the first time a position is asked
    /// for: most files of a large run have no finding and never need it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The text with terminal control and bidirectional-override characters
    /// replaced by placeholders of the same byte length, for drawing
    /// snippets on a terminal; `None` when the text has none. Made the
    /// first time a human report draws the file.
    safe: std::sync::OnceLock<Option<String>>,
}

/// Characters that must not reach a terminal raw: C0/C1 controls (but tab
/// and line ends) and the bidirectional overrides.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn make_safe(text: &str) -> Option<String> {
    if !text.chars().any(is_unsafe_char) {
        return None;
    }
    Some(
        text.chars()
            .map(|c| {
                if !is_unsafe_char(c) {
                    return c.to_string();
                }
                match c.len_utf8() {
                    1 => "?".to_string(),
                    2 => "\u{bf}".to_string(),
                    _ => "\u{fffd}".to_string(),
                }
            })
            .collect(),
    )
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> SourceFile {
        SourceFile {
            path: path.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
            safe: std::sync::OnceLock::new(),
        }
    }

    /// Where each line starts (the first at 0).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // `memchr_iter`: `match_indices('\n')` pays a searcher's set-up
            // per line, most of the cost on lines of a few dozen bytes
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts.shrink_to_fit();
            starts
        })
    }

    /// Makes the line index now (it is otherwise made on first use), so
    /// that the indexes of many files can be made in parallel.
    pub fn index_lines(&self) {
        let _ = self.line_starts();
    }

    /// The text to draw on a terminal (same byte offsets as `text`).
    pub fn safe_text(&self) -> &str {
        self.safe
            .get_or_init(|| make_safe(&self.text))
            .as_deref()
            .unwrap_or(&self.text)
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts().get(line).copied().unwrap_or(0);
        let mut col = self.text[start..offset].chars().count() + 1;
        // a byte-order mark is not a column
        if line == 0 && offset >= 3 && self.text.starts_with('\u{feff}') {
            col -= 1;
        }
        (line + 1, col)
    }
}

/// The largest char boundary at or before `i`.
pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The directory that shown paths are relative to: the project root (the
/// directory holding the `dockcheck.toml` in use), else the current
/// directory. A file has one shown path however it was spelled on the
/// command line (relative, absolute, with `.`/`..`, through a symbolic
/// link), so that output and override globs do not depend on the working
/// directory.
#[derive(Clone, Debug)]
pub struct Root {
    /// Absolute, with `.` and `..` resolved lexically.
    lexical: PathBuf,
    /// With symbolic links resolved, when the directory exists.
    canonical: Option<PathBuf>,
}

impl Default for Root {
    fn default() -> Root {
        Root::cwd()
    }
}

impl Root {
    /// A root at `dir`.
    pub fn new(dir: &Path) -> Root {
        let lexical = normalize(dir);
        let canonical = std::fs::canonicalize(&lexical).ok();
        Root { lexical, canonical }
    }

    /// The current directory.
    pub fn cwd() -> Root {
        Root::new(Path::new("."))
    }

    /// The root directory itself (absolute).
    pub fn dir(&self) -> &Path {
        &self.lexical
    }

    /// The path of `p` relative to the root, when `p` is inside it: the
    /// real path (links resolved) first, so that every spelling of one file
    /// gives one answer, else the path as written (normalised).
    pub fn relative(&self, p: &Path) -> Option<String> {
        self.relative_with(p, std::fs::canonicalize(p).ok().as_deref())
    }

    /// [`Root::relative`] of `p`, whose real path (links resolved) the
    /// caller already knows.
    fn relative_with(&self, p: &Path, real: Option<&Path>) -> Option<String> {
        if let (Some(root), Some(real)) = (&self.canonical, real)
            && let Ok(rel) = real.strip_prefix(root)
        {
            return Some(slashes(rel));
        }
        normalize(p).strip_prefix(&self.lexical).ok().map(slashes)
    }

    /// The path shown to users: relative to the root inside it; outside it,
    /// relative with `..` when the two share a directory below `/`, else
    /// absolute. `/` separators, never a leading `./`.
    pub fn show(&self, p: &Path) -> String {
        self.show_with(p, std::fs::canonicalize(p).ok().as_deref())
    }

    /// [`Root::show`] of `p`, whose real path the caller already knows.
    pub fn show_with(&self, p: &Path, real: Option<&Path>) -> String {
        if let Some(rel) = self.relative_with(p, real) {
            return rel;
        }
        let abs = normalize(p);
        let root: Vec<_> = self.lexical.components().collect();
        let file: Vec<_> = abs.components().collect();
        let common = root.iter().zip(&file).take_while(|(a, b)| a == b).count();
        // only the filesystem root (and a drive prefix) in common
        let shallow = root
            .iter()
            .take(common)
            .all(|c| matches!(c, Component::RootDir | Component::Prefix(_)));
        if shallow {
            return slashes(&abs);
        }
        let mut rel = PathBuf::new();
        for _ in common..root.len() {
            rel.push("..");
        }
        for c in &file[common..] {
            rel.push(c.as_os_str());
        }
        slashes(&rel)
    }
}

/// A path with `/` separators; the empty path is `.`.
fn slashes(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".into() } else { s }
}

/// The absolute form of `p` with `.` and `..` resolved lexically (symbolic
/// links are not followed).
pub fn normalize(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c.as_os_str());
                }
            }
            _ => out.push(c.as_os_str()),
        }
    }
    out
}

/// Every source of one run, by [`FileId`], and the [`Root`] their paths are
/// shown relative to.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    root: Root,
}

impl SourceMap {
    /// An empty map whose paths are shown relative to `root`.
    pub fn with_root(root: Root) -> SourceMap {
        SourceMap {
            files: Vec::new(),
            root,
        }
    }
    pub fn root(&self) -> &Root {
        &self.root
    }
    /// How `p` is shown (see [`Root::show`]).
    pub fn show(&self, p: &Path) -> String {
        self.root.show(p)
    }
    pub fn add(&mut self, path: impl Into<String>, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        self.files.len() - 1
    }
    /// The file with this id (an empty placeholder for an id from another map).
    pub fn get(&self, id: FileId) -> &SourceFile {
        static EMPTY: std::sync::OnceLock<SourceFile> = std::sync::OnceLock::new();
        self.files
            .get(id)
            .unwrap_or_else(|| EMPTY.get_or_init(|| SourceFile::new("<unknown>", String::new())))
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A path given on the command line that could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

/// Finds the `.icd` files under the given paths: files given by name are
/// always taken; directories are walked honouring `.gitignore`. The result
/// pairs each file with its path as shown from `root`, sorted by that and
/// without duplicates (one file named twice, by another spelling or through
/// a link, is taken once).
pub fn discover(paths: &[PathBuf], root: &Root) -> (Vec<(PathBuf, String)>, Vec<PathError>) {
    // each file with its real path (links resolved), found without a
    // system call per path component where the walk already knows it
    let mut files: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => errors.push(PathError {
                path: root.show(p),
                message: io_message(&e),
            }),
            Ok(m) if m.is_file() => files.push((p.clone(), std::fs::canonicalize(p).ok())),
            Ok(m) if !m.is_dir() => errors.push(PathError {
                path: root.show(p),
                message: NOT_FILE.into(),
            }),
            Ok(_) => {
                let real_dir = std::fs::canonicalize(p).ok();
                // links are not followed: below `p`, only an entry that is
                // itself a link has a real path other than `p`'s + its own
                let walk = ignore::WalkBuilder::new(p)
                    .require_git(false)
                    .sort_by_file_path(|a, b| a.cmp(b))
                    .build();
                for entry in walk {
                    match entry {
                        Ok(e) => {
                            let icd = e
                                .path()
                                .extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("icd"));
                            if !icd {
                                continue;
                            }
                            if e.path_is_symlink() {
                                // a symbolic link to a file counts as that
                                // file; to a directory, it is not followed;
                                // a broken one is said aloud, since the file
                                // it named is not checked
                                match std::fs::metadata(e.path()) {
                                    Ok(m) if m.is_file() => {
                                        let real = std::fs::canonicalize(e.path()).ok();
                                        files.push((e.into_path(), real));
                                    }
                                    Ok(m) if m.is_dir() => {}
                                    Ok(_) => errors.push(PathError {
                                        path: root.show(e.path()),
                                        message: NOT_FILE.into(),
                                    }),
                                    Err(err) => errors.push(PathError {
                                        path: root.show(e.path()),
                                        message: format!(
                                            "broken symbolic link ({})",
                                            io_message(&err)
                                        ),
                                    }),
                                }
                            } else if e.file_type().is_some_and(|t| t.is_file()) {
                                let real = match (&real_dir, e.path().strip_prefix(p)) {
                                    (Some(d), Ok(rel)) => Some(d.join(rel)),
                                    _ => std::fs::canonicalize(e.path()).ok(),
                                };
                                files.push((e.into_path(), real));
                            } else if e.file_type().is_some_and(|t| !t.is_dir()) {
                                // a FIFO, socket or device named *.icd:
                                // never opened (a FIFO would block)
                                errors.push(PathError {
                                    path: root.show(e.path()),
                                    message: NOT_FILE.into(),
                                });
                            }
                        }
                        Err(e) => errors.push(PathError {
                            path: root.show(p),
                            message: e.to_string(),
                        }),
                    }
                }
            }
        }
    }
    let mut shown: Vec<(PathBuf, String, PathBuf)> = files
        .into_iter()
        .map(|(p, real)| {
            let s = root.show_with(&p, real.as_deref());
            let key = real.unwrap_or_else(|| normalize(&p));
            (p, s, key)
        })
        .collect();
    shown.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.as_os_str().cmp(b.0.as_os_str()))
    });
    let mut seen = std::collections::HashSet::new();
    let shown = shown
        .into_iter()
        .filter(|(_, _, key)| seen.insert(key.clone()))
        .map(|(p, s, _)| (p, s))
        .collect();
    errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    errors.dedup();
    (shown, errors)
}

/// Why a path that is neither a regular file nor a directory is not read.
pub const NOT_FILE: &str = "not a regular file or a directory";

/// Why a file's bytes could not be had.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Not a regular file (a FIFO, a socket, a device) at the time it was
    /// opened.
    NotFile,
    /// Larger than the limit: its size (`None` when it was not known
    /// beforehand and only more than `limit` bytes were read).
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// Reads a regular file of at most `limit` bytes. The size is taken from
/// the open file's metadata before anything is read, and the read itself
/// stops after `limit + 1` bytes, so a file that grows while it is read, or
/// lies about its size, never costs more. On Unix the file is opened
/// without blocking, so a FIFO put where a file was found is refused, not
/// waited on.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    read_limited(file, limit, meta.len())
}

/// Reads at most `limit` bytes from `r` (`hint`: the expected length).
pub fn read_limited(r: impl std::io::Read, limit: u64, hint: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(usize::try_from(hint.min(limit)).unwrap_or(0));
    r.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(buf)
}

/// A short, stable description of an I/O error.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// A file's bytes as text: `Ok(text)`, or the lossy text and the offset of
/// the first invalid UTF-8 byte. A leading byte-order mark is kept (the parser
/// skips it) so that offsets stay true to the file.
pub fn decode(bytes: Vec<u8>) -> Result<String, (String, usize)> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err((String::from_utf8_lossy(e.as_bytes()).into_owned(), at))
        }
    }
}

/// Reads a text file (a spec or configuration) into the source map. An
/// unreadable file is ICD-IO, invalid UTF-8 is ICD-ENCODING; either way the
/// file is in the map so that the diagnostic can point at it.
pub fn read_into(
    sources: &mut SourceMap,
    path: &Path,
) -> Result<FileId, Box<crate::diagnostic::Diagnostic>> {
    use crate::diagnostic::{Diagnostic, codes};
    use crate::syntax::Span;
    let shown = sources.show(path);
    match std::fs::read(path) {
        Ok(bytes) => add_bytes(sources, &shown, bytes),
        Err(e) => {
            let id = sources.add(shown.clone(), String::new());
            Err(Box::new(Diagnostic::error(
                codes::IO,
                id,
                Span::default(),
                format!("cannot read {shown}: {}", io_message(&e)),
            )))
        }
    }
}

/// Adds a text file's bytes (a spec or configuration, read or held in
/// memory) to the source map under the name `shown`; invalid UTF-8 is
/// ICD-ENCODING, the file being in the map so that the diagnostic can point
/// at it.
pub fn add_bytes(
    sources: &mut SourceMap,
    shown: &str,
    bytes: Vec<u8>,
) -> Result<FileId, Box<crate::diagnostic::Diagnostic>> {
    use crate::diagnostic::{Diagnostic, codes};
    use crate::syntax::Span;
    match decode(bytes) {
        Ok(text) => Ok(sources.add(shown, text)),
        Err((text, at)) => {
            let id = sources.add(shown, text);
            Err(Box::new(
                Diagnostic::error(
                    codes::ENCODING,
                    id,
                    Span::new(at, at + 1),
                    format!("invalid UTF-8 at byte offset {at}"),
                )
                .with_help("save the file as UTF-8"),
            ))
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same directory
/// and a rename, so that a reader never sees half a file. The temporary file
/// is removed when the rename fails. A link is followed: its target is
/// written. The file's permissions are kept when it existed.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let tmp = path.with_extension(format!(
        "{}.tmp{}",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id()
    ));
    let perms = std::fs::metadata(&path).ok().map(|m| m.permissions());
    std::fs::write(&tmp, text)
        .and_then(|()| match perms {
            Some(p) => std::fs::set_permissions(&tmp, p),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, &path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let f = SourceFile::new("x", "ab\n  name = \"Ωmega\"; colour\n".to_string());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        let off = f.text.find("colour").unwrap();
        assert_eq!(f.line_col(off), (2, 19));
        assert_eq!(f.line_col(f.text.len()), (3, 1));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let f = SourceFile::new("x", "\u{feff}ab".to_string());
        assert_eq!(f.line_col(3), (1, 1));
        assert_eq!(f.line_col(4), (1, 2));
    }

    #[test]
    fn decode_reports_offset() {
        let (text, at) = decode(b"ab\xffcd".to_vec()).unwrap_err();
        assert_eq!(at, 2);
        assert!(text.contains('\u{fffd}'));
        assert_eq!(decode(b"ok".to_vec()).unwrap(), "ok");
    }
}
