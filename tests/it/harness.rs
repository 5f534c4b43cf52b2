//! Runs the real `hub` binary on fixture hub roots copied into temporary folders.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A hub root in a temporary folder.
pub struct Hub {
    dir: tempfile::TempDir,
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit status, showing the output when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts stderr contains `text`, showing all of stderr when it does not.
    pub fn expect_stderr(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr does not contain:\n{text}\n--- stderr was:\n{}",
            self.stderr
        );
        self
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

impl Hub {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Hub {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Hub { dir }
    }

    /// A copy of the hub at `root` (its content/ and themes/ folders).
    pub fn copy_of(root: &Path) -> Hub {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["content", "themes"] {
            if root.join(folder).is_dir() {
                copy_dir(&root.join(folder), &dir.path().join(folder));
            }
        }
        Hub { dir }
    }

    /// The basic fixture with `tests/fixtures/errors/<name>` copied over it.
    pub fn with_error(name: &str) -> Hub {
        let hub = Hub::fixture("basic");
        copy_dir(&fixtures().join("errors").join(name), hub.path());
        hub
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the hub root.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// Runs `hub <args>` with `--root` set to this hub.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs `hub <args>` with `--root` set to this hub and extra environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hub"));
        cmd.args(args).arg("--root").arg(self.path());
        cmd.envs(env.iter().copied());
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `hub build` into `<root>/public`.
    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// `hub check`.
    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// Reads a built file.
    pub fn read(&self, rel: &str) -> String {
        let p = self.path().join("public").join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// The path of the stylesheet a built page links, e.g. `assets/hub.0123456789.css`.
    pub fn stylesheet(html: &str) -> String {
        let at = html
            .find("<link rel=\"stylesheet\" href=\"/")
            .expect("a stylesheet link")
            + "<link rel=\"stylesheet\" href=\"/".len();
        html[at..at + html[at..].find('"').unwrap()].to_string()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join("public").join(rel).exists()
    }

    /// Every file of the output, path → bytes.
    pub fn output(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut out = std::collections::BTreeMap::new();
        collect(&self.path().join("public"), "", &mut out);
        out
    }
}

fn collect(dir: &Path, prefix: &str, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            collect(&e.path(), &format!("{name}/"), out);
        } else {
            out.insert(name, fs::read(e.path()).unwrap());
        }
    }
}
