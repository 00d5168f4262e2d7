//! Located problems in a model file and how they are shown to a person.
//!
//! Every stage that can reject input (YAML reading, conversion to the typed model, validation,
//! compilation) reports [`Diagnostic`]s rather than returning at the first problem, so that
//! `hacalc validate` can list every problem of a file in one run.

use std::borrow::Cow;
use std::fmt;

/// Whether `c` would not print as itself on a terminal: a control character (other than a
/// line break or tab), a bidirectional-text control, or a noncharacter.
fn unprintable(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\n' | '\t'))
        || (0x7F..=0x9F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2066..=0x2069).contains(&u)
        || matches!(u, 0x200E | 0x200F | 0x061C)
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// `s` with every character that would not print as itself (see above) replaced by `?`
/// repeated to the same number of bytes, so byte offsets into it stay valid: a model's text
/// never reaches a terminal as an escape sequence or a reordering control.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unprintable) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if unprintable(c) {
                    "?".repeat(c.len_utf8())
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A place in the model source: 1-based line and column (in characters) and the byte range
/// of the node, used to underline it in a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    /// Byte offset and length, in 32 bits (input is limited below 4 GiB, `--max-input-mb`):
    /// a position is in every located value, and a 100,000-component model holds millions.
    pub offset: u32,
    pub len: u32,
}

impl Pos {
    /// Position for problems that concern the whole file (missing `system`, empty file).
    pub const FILE: Pos = Pos {
        line: 1,
        column: 1,
        offset: 0,
        len: 0,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is, what is wrong and, where it helps, how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pos,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pos,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Collects diagnostics while a stage walks the model.
#[derive(Debug, Default)]
pub struct Sink {
    pub items: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.push(Diagnostic::error(pos, message));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}

/// A failed load: the file name, its source (for snippets) and every problem found.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Command-line arguments that edited the model (`--set db.mttr=30m`), placed one after
    /// the other past the end of `source`: a problem there is shown against its argument
    /// (see `parse::assign`).
    pub arguments: Vec<String>,
}

impl Report {
    pub fn new(
        file: impl Into<String>,
        source: impl Into<String>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        Report {
            file: file.into(),
            source: source.into(),
            diagnostics,
            arguments: Vec::new(),
        }
    }

    /// The argument a diagnostic is in, with its text and where it starts, when it is past
    /// the end of the source.
    fn argument_of(&self, d: &Diagnostic) -> Option<(&str, usize)> {
        let at = d.pos.offset as usize;
        if at <= self.source.len() {
            return None;
        }
        let mut start = self.source.len() + 1;
        for a in &self.arguments {
            if at < start + a.len() + 1 {
                return Some((a, start));
            }
            start += a.len() + 1;
        }
        None
    }

    /// `FILE:LINE:COLUMN: severity: message`, with the argument in place of the file for a
    /// problem on the command line.
    fn head(&self, d: &Diagnostic) -> String {
        match self.argument_of(d) {
            Some((a, _)) => plain_line(a, d),
            None => plain_line(&self.file, d),
        }
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// Plain `FILE:LINE:COLUMN: severity: message` lines with hints, no colour and no snippet:
    /// the stable, grep-able form used in tests and for machine consumption.
    pub fn to_plain(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&self.head(d));
            out.push('\n');
            if let Some(h) = &d.hint {
                out.push_str(&format!("  hint: {}\n", printable(h)));
            }
        }
        out
    }

    /// Rendering for a terminal: the `FILE:LINE:COLUMN:` line, a source snippet with the node
    /// underlined, and the hint. `styled` turns on ANSI colour.
    pub fn render(&self, styled: bool, limit: usize) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        let source = printable(&self.source);
        let shown = self.diagnostics.len().min(limit);
        for d in &self.diagnostics[..shown] {
            let head = self.head(d);
            if styled {
                let style = match d.severity {
                    Severity::Error => anstyle::AnsiColor::Red.on_default().bold(),
                    Severity::Warning => anstyle::AnsiColor::Yellow.on_default().bold(),
                };
                out.push_str(&format!("{style}{head}{style:#}\n"));
            } else {
                out.push_str(&head);
                out.push('\n');
            }
            let argument = self.argument_of(d);
            let (source, offset) = match argument {
                Some((a, start)) => (printable(a), d.pos.offset as usize - start),
                None => (source.clone(), d.pos.offset as usize),
            };
            if offset <= source.len() && !source.is_empty() {
                let end = clamp_to_char_boundary(&source, offset + d.pos.len.max(1) as usize);
                let start = clamp_to_char_boundary(&source, offset).min(end);
                let level = match d.severity {
                    Severity::Error => Level::ERROR,
                    Severity::Warning => Level::WARNING,
                };
                let mut group = Group::with_level(level).element(
                    Snippet::source(source.as_ref())
                        .line_start(1)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                );
                let hint = d.hint.as_deref().map(printable);
                if let Some(h) = &hint {
                    group = group.element(Level::HELP.message(h.as_ref()));
                }
                out.push_str(&renderer.render(&[group]));
                out.push('\n');
            } else if let Some(h) = &d.hint {
                out.push_str(&format!("  hint: {}\n", printable(h)));
            }
        }
        if self.diagnostics.len() > shown {
            out.push_str(&format!(
                "... and {} more problems (run `hacalc validate` to list them all)\n",
                self.diagnostics.len() - shown
            ));
        }
        let errors = self.errors().count();
        let warnings = self.diagnostics.len() - errors;
        out.push_str(&summary_line(&printable(&self.file), errors, warnings));
        out
    }
}

impl Report {
    /// Only the errors (what `--quiet` leaves of a report).
    pub fn errors_only(&self) -> Report {
        Report {
            diagnostics: self.errors().cloned().collect(),
            ..self.clone()
        }
    }

    /// `validate --format json`: the file, whether it is valid, the counts and every problem
    /// with its line, column, message and hint.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Problem<'a> {
            severity: &'static str,
            line: Option<u32>,
            column: Option<u32>,
            message: Cow<'a, str>,
            hint: Option<Cow<'a, str>>,
            /// The command-line argument the problem is in (its line and column are then
            /// in the argument), absent for a problem in the file.
            #[serde(skip_serializing_if = "Option::is_none")]
            argument: Option<Cow<'a, str>>,
        }
        #[derive(serde::Serialize)]
        struct Validation<'a> {
            file: Cow<'a, str>,
            valid: bool,
            errors: usize,
            warnings: usize,
            problems: Vec<Problem<'a>>,
        }
        let errors = self.errors().count();
        let value = Validation {
            file: printable(&self.file),
            valid: errors == 0,
            errors,
            warnings: self.diagnostics.len() - errors,
            problems: self
                .diagnostics
                .iter()
                .map(|d| Problem {
                    severity: severity_word(d.severity),
                    // Line 0: a problem of the file as a whole, with no place in it.
                    line: (d.pos.line > 0).then_some(d.pos.line),
                    column: (d.pos.line > 0).then_some(d.pos.column),
                    message: printable(&d.message),
                    hint: d.hint.as_deref().map(printable),
                    argument: self.argument_of(d).map(|(a, _)| printable(a)),
                })
                .collect(),
        };
        let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
        out.push('\n');
        out
    }

    /// `validate --format github`: one GitHub Actions workflow command per problem,
    /// `::error file=F,line=L,col=C,title=hacalc::message`, which GitHub shows as an
    /// annotation on that line of the pull request.
    pub fn to_github(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let mut message = printable(&d.message).into_owned();
            if let Some(h) = &d.hint {
                message.push_str("\nhint: ");
                message.push_str(&printable(h));
            }
            if let Some((a, _)) = self.argument_of(d) {
                // Not a line of the file: an annotation of the run, naming the argument.
                out.push_str(&format!(
                    "::{} title=hacalc::{}\n",
                    severity_word(d.severity),
                    github_data(&format!("{}: {message}", printable(a)))
                ));
                continue;
            }
            out.push_str(&format!(
                "::{} file={},line={},col={},title=hacalc::{}\n",
                severity_word(d.severity),
                github_property(&printable(&self.file)),
                d.pos.line,
                d.pos.column,
                github_data(&message)
            ));
        }
        out
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A workflow command's message, escaped as GitHub's toolkit does.
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (file=...), escaped as GitHub's toolkit does.
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn summary_line(file: &str, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => format!("{file}: valid\n"),
        (0, w) => format!("{file}: valid, with {}\n", plural(w, "warning")),
        (e, 0) => format!("{file}: {}\n", plural(e, "error")),
        (e, w) => format!("{file}: {}, {}\n", plural(e, "error"), plural(w, "warning")),
    }
}

fn plain_line(file: &str, d: &Diagnostic) -> String {
    let sev = severity_word(d.severity);
    format!(
        "{}:{}:{}: {sev}: {}",
        printable(file),
        d.pos.line,
        d.pos.column,
        printable(&d.message)
    )
}

fn clamp_to_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_plain())
    }
}

impl std::error::Error for Report {}

/// "did you mean ...?" for a misspelt key or name, when one candidate is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase());
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            file: "a,b:c.yaml".into(),
            source: "x: 1\n".into(),
            diagnostics: vec![
                Diagnostic::error(
                    Pos {
                        line: 3,
                        column: 7,
                        offset: 0,
                        len: 1,
                    },
                    "50% bad\nthing",
                )
                .with_hint("do this"),
                Diagnostic::warning(Pos::FILE, "unused"),
            ],
            arguments: Vec::new(),
        }
    }

    #[test]
    fn github_annotations_are_escaped() {
        assert_eq!(
            report().to_github(),
            "::error file=a%2Cb%3Ac.yaml,line=3,col=7,title=hacalc::50%25 bad%0Athing%0Ahint: do this\n\
             ::warning file=a%2Cb%3Ac.yaml,line=1,col=1,title=hacalc::unused\n"
        );
    }

    #[test]
    fn json_lists_every_problem() {
        let j: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
        assert_eq!(j["valid"], false);
        assert_eq!(j["errors"], 1);
        assert_eq!(j["warnings"], 1);
        assert_eq!(j["problems"][0]["line"], 3);
        assert_eq!(j["problems"][0]["column"], 7);
        assert_eq!(j["problems"][0]["hint"], "do this");
        assert_eq!(j["problems"][1]["severity"], "warning");
        assert_eq!(report().errors_only().diagnostics.len(), 1);
    }
}
