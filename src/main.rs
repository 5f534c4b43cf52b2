//! The `hub` command line: parses arguments, calls the library, maps results to exit codes
//! (0 success, 1 content errors, 2 usage or I/O errors).

use clap::{Parser, Subcommand};
use hub::diagnostics::{self, Diagnostic, Format, Severity};
use hub::{BuildOptions, Failure};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Builds the cluster peer-review knowledge hub: Markdown case studies in, a bilingual static site out.
#[derive(Parser, Debug)]
#[command(name = "hub", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build {
        /// The hub root (the folder that holds content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The URL the site is published at (overrides base_url in hub.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// Publish studies marked `draft: true` too.
        #[arg(long)]
        drafts: bool,
        /// Fail if any published case study or page has no Welsh translation; with `=reviewed`,
        /// also if a Welsh translation is still a draft.
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "translated", value_enum)]
        require_welsh: Option<hub::RequireWelsh>,
    },
    /// Build, serve and watch the site, reloading the browser after every change.
    Serve {
        /// The hub root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on. Anything other than 127.0.0.1 exposes the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on; the next free one is taken if it is in use.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Publish studies marked `draft: true` too.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using file-system events (network drives, WSL).
        #[arg(long)]
        poll: bool,
    },
    /// Check everything a build would, and write nothing.
    Check {
        /// The hub root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also say how much is in Welsh and what awaits a Welsh speaker's review (for
        /// translators and maintainers).
        #[arg(long)]
        translations: bool,
    },
    /// Create a new case study with every field, commented. In a terminal, asks for the
    /// required choices not given as flags.
    New {
        #[command(flatten)]
        study: hub::scaffold::NewStudy,
        /// The hub root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Never ask questions, even in a terminal.
        #[arg(long)]
        no_prompt: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            require_welsh,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let started = Instant::now();
            let files = root.clone();
            let opts = BuildOptions {
                root,
                base_url,
                drafts,
                require_welsh,
                readable_assets: false,
            };
            match hub::build(&opts, &out) {
                Ok(warnings) => {
                    print_diagnostics(&warnings, Format::Human, &files);
                    eprintln!(
                        "built {} in {} ms",
                        out.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(f) => {
                    let code = report(f, Format::Human, &files);
                    eprintln!("build failed; {} was left as it was", out.display());
                    code
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            poll,
        } => {
            let files = root.clone();
            match hub::serve::run(hub::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                poll,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(f) => report(f, Format::Human, &files),
            }
        }
        Command::Check {
            root,
            format,
            translations,
        } => {
            let files = root.clone();
            let opts = BuildOptions {
                root,
                ..BuildOptions::default()
            };
            match hub::check(&opts) {
                Ok(loaded) => {
                    print_diagnostics(&loaded.warnings, format, &files);
                    if format == Format::Human {
                        if translations {
                            eprintln!("{}", hub::welsh_summary(&loaded));
                        }
                        eprintln!("no errors ({} warnings)", loaded.warnings.len());
                    }
                    ExitCode::SUCCESS
                }
                Err(f) => report(f, format, &files),
            }
        }
        Command::New {
            study,
            root,
            no_prompt,
        } => {
            use std::io::IsTerminal;
            let mut spec = study;
            let vocab = hub::scaffold::vocabularies(&root);
            if let Err(errors) = hub::scaffold::normalise(&mut spec, &vocab) {
                for e in &errors {
                    eprintln!("error: {}", diagnostics::printable(e));
                }
                return ExitCode::from(2);
            }
            let result = (|| {
                if !root.join(hub::config::CONFIG_PATH).is_file() {
                    // Refused before any question is asked.
                    return hub::scaffold::new_study(&root, &spec, &vocab);
                }
                if !no_prompt && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
                    hub::scaffold::prompt_missing(&mut spec, &vocab)?;
                }
                hub::scaffold::new_study(&root, &spec, &vocab)
            })();
            match result {
                Ok(path) => {
                    println!("created {}", path.display());
                    println!(
                        "fill in whatever is still empty, then run `hub check` (or `hub serve` to see it)"
                    );
                    ExitCode::SUCCESS
                }
                Err(msg) => {
                    eprintln!("error: {}", diagnostics::printable(&msg));
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn report(f: Failure, format: Format, root: &std::path::Path) -> ExitCode {
    match f {
        Failure::Content(diags) => {
            print_diagnostics(&diags, format, root);
            if format == Format::Human {
                let errors = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                eprintln!("{errors} error{} found", if errors == 1 { "" } else { "s" });
            }
            ExitCode::from(1)
        }
        Failure::Usage(msg) => {
            eprintln!("error: {}", diagnostics::printable(&msg));
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic], format: Format, root: &std::path::Path) {
    if diags.is_empty() && format != Format::Json {
        return;
    }
    let text = diagnostics::render_showing(diags, format, Some(root));
    // Machine formats go to stdout for tools to read; people read stderr.
    if format == Format::Human {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
/// mimalloc: a build spends about a fifth of its time allocating, and glibc's malloc is ~15%
/// slower on it. Built without transparent huge pages (`no_thp`): with them, every thread of
/// `hub serve` (one per open connection) would pin a 2 MiB page.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
