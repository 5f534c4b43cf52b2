//! Hostile and broken input: a clear error or warning, never a panic, a hang, runaway memory or a
//! partial site. Each case runs the real binary under a time limit, so a hang fails the test
//! instead of stalling the suite.

use crate::harness::{Hub, Run};
use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `hub <args> --root <hub>`; fails the test if it takes over a minute.
pub(crate) fn run_limited(hub: &Hub, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(args)
        .arg("--root")
        .arg(hub.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("hub {args:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const STUDY_HEAD: &str = "---\ntitle: Deep\nsummary: A deep one.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\n";

#[test]
fn a_yaml_alias_bomb_is_refused_at_its_first_anchor() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/case-studies/bomb.md",
        "---\ntitle: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
         b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n",
    );
    run_limited(&hub, &["check"]).expect_code(1).expect_stderr(
        "content/case-studies/bomb.md:2:8: error: YAML anchors (`&name`) are not supported here",
    );
}

#[test]
fn a_200_mb_study_is_refused_without_being_read() {
    let hub = Hub::fixture("basic");
    let f = fs::File::create(hub.path().join("content/case-studies/huge.md")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    run_limited(&hub, &["build"])
        .expect_code(1)
        .expect_stderr("content/case-studies/huge.md:1:1: error: the file is 200 MB; hub reads text files of up to 16 MB\n  help: split it, or move large data out of the Markdown");
    assert!(!hub.exists("index.html"));
}

#[test]
fn ten_thousand_deep_quotes_and_lists_build() {
    let hub = Hub::fixture("basic");
    let quotes = format!("{STUDY_HEAD}{} deep\n", ">".repeat(10_000));
    hub.write("content/case-studies/quotes.md", quotes);
    // "- - - item" opens a list inside a list on one line.
    let lists = format!("{STUDY_HEAD}{}item\n", "- ".repeat(10_000));
    hub.write("content/case-studies/lists.md", lists);
    // Raw HTML too, so the sanitiser (html5ever) sees the depth as well.
    let html = format!(
        "{STUDY_HEAD}{}deep{}\n",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    hub.write("content/case-studies/divs.md", html);
    run_limited(&hub, &["build"]).expect_code(0);
    assert!(
        hub.read("case-studies/quotes/index.html")
            .contains("<blockquote>")
    );
    assert!(
        hub.read("case-studies/lists/index.html")
            .contains("<li>item")
    );
}

#[test]
fn a_line_of_ten_megabytes_builds() {
    let hub = Hub::fixture("basic");
    let line = "word ".repeat(2 * 1024 * 1024);
    hub.write(
        "content/case-studies/long.md",
        format!("{STUDY_HEAD}{line}\n"),
    );
    run_limited(&hub, &["build"]).expect_code(0);
    assert!(hub.read("case-studies/long/index.html").len() > 10 * 1024 * 1024);
}

#[test]
fn a_hundred_thousand_files_are_checked() {
    let hub = Hub::fixture("basic");
    let dir = hub.path().join("content/case-studies/beta/many");
    fs::create_dir_all(&dir).unwrap();
    for i in 0..100_000 {
        fs::write(dir.join(format!("f{i}.txt")), "x").unwrap();
    }
    run_limited(&hub, &["check"]).expect_code(0);
}

#[test]
fn symbolic_links_are_not_followed_and_are_warned_about() {
    let hub = Hub::fixture("basic");
    let content = hub.path().join("content");
    std::os::unix::fs::symlink("/etc", content.join("etc")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", content.join("case-studies/passwd.md")).unwrap();
    std::os::unix::fs::symlink(".", content.join("case-studies/loop")).unwrap();
    std::os::unix::fs::symlink("b", content.join("a")).unwrap();
    std::os::unix::fs::symlink("a", content.join("b")).unwrap();
    let run = run_limited(&hub, &["build"]);
    run.expect_code(0)
        .expect_stderr("content/etc:1:1: warning: this is a symbolic link; hub does not follow links, so it is left out\n  help: put the file itself here instead of a link to it")
        .expect_stderr("content/case-studies/passwd.md:1:1: warning: this is a symbolic link")
        .expect_stderr("content/case-studies/loop:1:1: warning: this is a symbolic link")
        .expect_stderr("content/a:1:1: warning: this is a symbolic link");
    let out = hub.output();
    assert!(
        out.keys()
            .all(|k| !k.starts_with("etc") && !k.contains("passwd") && !k.contains("loop"))
    );
    assert!(
        out.values()
            .all(|v| !String::from_utf8_lossy(v).contains("root:x:0:0"))
    );
}

#[test]
fn names_that_collide_on_windows_or_macos_are_errors() {
    let hub = Hub::fixture("basic");
    hub.write("content/case-studies/beta/Route.svg", "<svg/>");
    // "é" precomposed (NFC) and as e + combining acute (NFD).
    hub.write("content/case-studies/beta/caf\u{e9}.png", "x");
    hub.write("content/case-studies/beta/cafe\u{301}.png", "y");
    let run = run_limited(&hub, &["check"]);
    run.expect_code(1)
        .expect_stderr("content/case-studies/beta/route.svg:1:1: error: this name and `content/case-studies/beta/Route.svg` differ only in capital letters or in how an accent is encoded; they are one file on Windows and macOS\n  help: rename or remove one of them")
        .expect_stderr("content/case-studies/beta/caf\u{e9}.png:1:1: error: this name and `content/case-studies/beta/cafe\u{301}.png` differ only");
}

#[test]
fn an_output_folder_that_is_not_hubs_own_is_refused() {
    let hub = Hub::fixture("basic");
    let root = hub.path().to_str().unwrap().to_string();
    let content = format!("{root}/content");
    let about = fs::read(hub.path().join("content/about.md")).unwrap();
    for out in [content.as_str(), root.as_str(), "/"] {
        let run = run_limited(&hub, &["build", "--out", out]);
        run.expect_code(2).expect_stderr(&format!(
            "error: refusing to write the site to {out}: it is, or contains, the hub root or its content"
        ));
    }
    let foreign = tempfile::tempdir().unwrap();
    fs::write(foreign.path().join("thesis.docx"), "mine").unwrap();
    let run = run_limited(&hub, &["build", "--out", foreign.path().to_str().unwrap()]);
    run.expect_code(2).expect_stderr(&format!(
        "error: refusing to replace {}: it holds files hub did not write (no .hub-output marker); choose another --out or empty it",
        foreign.path().display()
    ));
    assert_eq!(
        fs::read(foreign.path().join("thesis.docx")).unwrap(),
        b"mine"
    );
    assert_eq!(
        fs::read(hub.path().join("content/about.md")).unwrap(),
        about
    );
}

#[test]
fn a_build_killed_mid_write_leaves_the_previous_site_and_the_next_build_cleans_up() {
    let hub = Hub::fixture("basic");
    for i in 0..1500 {
        hub.write(
            &format!("content/case-studies/s{i:04}.md"),
            format!("---\ntitle: Study {i}\nsummary: Number {i}.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\n{}\n", "Some words here. ".repeat(200)),
        );
    }
    run_limited(&hub, &["build"]).expect_code(0);
    let before = hub.output();
    hub.write(
        "content/about.md",
        "---\ntitle: About, changed\n---\n\nChanged.\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["build", "--root"])
        .arg(hub.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let tmp = hub.path().join(format!(".public.hub-tmp-{}", child.id()));
    let started = Instant::now();
    while !tmp.join("case-studies").exists() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no destructor runs.
    child.wait().unwrap();
    assert!(tmp.exists(), "killed while writing");
    assert!(before == hub.output(), "the previous site is intact");
    run_limited(&hub, &["build"]).expect_code(0);
    assert!(
        !tmp.exists(),
        "the next build removed what the killed one left"
    );
    assert!(hub.read("about/index.html").contains("About, changed"));
    let leftovers: Vec<_> = fs::read_dir(hub.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("hub-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
