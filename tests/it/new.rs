//! `hub new`: flags fill the scaffold without questions; a terminal gets questions offering the
//! vocabularies by label; bad keys are refused with a suggestion.

use crate::harness::Hub;
use std::process::{Command, Stdio};

#[test]
fn flags_fill_a_study_that_checks_at_once() {
    let hub = Hub::fixture("basic");
    hub.run(&[
        "new",
        "wound-care-clinic",
        "--title",
        "Wound care clinic",
        "--summary",
        "A nurse-led clinic in the cluster.",
        "--region",
        "cardiff-and-vale",
        "--outcomes",
        "pcmw-4,acd-5",
        "--status",
        "pilot",
        "--collaboratives",
        "nursing",
    ])
    .expect_code(0);
    let text =
        std::fs::read_to_string(hub.path().join("content/case-studies/wound-care-clinic.md"))
            .unwrap();
    assert!(
        text.contains("\nregion: cardiff-and-vale\n")
            && text.contains("\noutcomes: [pcmw-4, acd-5]\n"),
        "{text}"
    );
    for field in [
        "title:",
        "summary:",
        "region:",
        "cluster:",
        "outcomes:",
        "themes:",
        "status:",
        "year:",
        "updated:",
        "partners:",
        "funding:",
        "contact:",
        "evidence:",
        "collaboratives:",
        "related:",
        "draft:",
    ] {
        assert!(
            text.contains(&format!("\n{field}")),
            "the scaffold has every field: {field}"
        );
    }
    hub.check().expect_code(0);
    hub.build().expect_code(0);
    assert!(
        hub.read("case-studies/wound-care-clinic/index.html")
            .contains("Wound care clinic")
    );
}

#[test]
fn a_bad_key_is_refused_with_a_suggestion() {
    let hub = Hub::fixture("basic");
    hub.run(&["new", "x", "--region", "powis", "--no-prompt"])
        .expect_code(2)
        .expect_stderr("error: `powis` is not a key of regions; did you mean `powys`?");
    assert!(!hub.path().join("content/case-studies/x.md").exists());
    hub.run(&["new", "Wound_Care"])
        .expect_code(2)
        .expect_stderr("error: `Wound_Care` is not a valid slug: use lower-case letters, digits and single hyphens, e.g. `wound-care`");
}

#[test]
fn without_flags_or_terminal_the_scaffold_checks_once_the_choices_are_made() {
    let hub = Hub::fixture("basic");
    hub.run(&["new", "wound-care"]).expect_code(0);
    let path = hub.path().join("content/case-studies/wound-care.md");
    hub.check().expect_code(1).expect_stderr(
        "content/case-studies/wound-care.md:14:1: error: `region` is empty\n  help: write it on this line, e.g. `region: cwm-taf-morgannwg`",
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let filled = text
        .replace("summary: \"\"", "summary: A nurse-led clinic.")
        .replace("\nregion:\n", "\nregion: powys\n")
        .replace("\noutcomes: []\n", "\noutcomes: [pcmw-4]\n")
        .replace("\nstatus:\n", "\nstatus: pilot\n");
    std::fs::write(&path, filled).unwrap();
    hub.check().expect_code(0);
}

#[test]
fn clusters_are_offered_for_the_board_and_checked_against_it() {
    let hub = Hub::fixture("basic");
    hub.run(&[
        "new",
        "y",
        "--region",
        "powys",
        "--cluster",
        "North Powys",
        "--no-prompt",
    ])
    .expect_code(0);
    let text = std::fs::read_to_string(hub.path().join("content/case-studies/y.md")).unwrap();
    assert!(
        text.contains("\ncluster: [north-powys]\n"),
        "a cluster's name is as clear as its key"
    );
    hub.run(&["new", "x", "--region", "powys", "--cluster", "north-ceredigion", "--no-prompt"])
        .expect_code(2)
        .expect_stderr("error: `north-ceredigion` is a cluster of Hywel Dda University Health Board, not of Powys Teaching Health Board; check `region:`");
    hub.run(&[
        "new",
        "x",
        "--region",
        "powys",
        "--cluster",
        "north-powys,mid-powys",
        "--no-prompt",
    ])
    .expect_code(0);
    let text = std::fs::read_to_string(hub.path().join("content/case-studies/x.md")).unwrap();
    assert!(
        text.contains("\ncluster: [north-powys, mid-powys]\n"),
        "{text}"
    );
    // Only the board's clusters are offered in the file's comments.
    assert!(
        text.contains("#     south-powys                South Powys\n"),
        "{text}"
    );
    assert!(!text.contains("north-ceredigion"));
}

#[test]
fn an_existing_study_is_never_overwritten() {
    let hub = Hub::fixture("basic");
    hub.run(&["new", "alpha", "--no-prompt"])
        .expect_code(2)
        .expect_stderr("a case study `alpha` already exists");
}

/// Runs `hub new` in a pseudo-terminal (util-linux `script`), typing `keys` with pauses.
fn in_terminal(hub: &Hub, slug: &str, keys: &[&str]) -> String {
    let cmd = format!(
        "{} new {slug} --root {}",
        env!("CARGO_BIN_EXE_hub"),
        hub.path().display()
    );
    let mut child = Command::new("script")
        .args(["-qfec", &cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs the command in a pseudo-terminal");
    let mut stdin = child.stdin.take().unwrap();
    for keys in keys {
        std::thread::sleep(std::time::Duration::from_millis(400));
        std::io::Write::write_all(&mut stdin, keys.as_bytes()).unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(800));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_terminal_gets_menus_that_filter_as_you_type_and_a_summary_to_confirm() {
    let hub = Hub::fixture("basic");
    // Title, summary; the board typed by name ("Hywel Dda", whose letters once ticked every
    // outcome); a cluster typed; outcomes written as people write them; the first status;
    // then yes to the summary.
    let screen = in_terminal(
        &hub,
        "asked",
        &[
            "Asked title\r",
            "Asked summary.\r",
            "Hywel Dda\r",
            "north ceredigion\r",
            "PCMW 1, acd 2\r",
            "\r",
            "y",
        ],
    );
    assert!(screen.contains("type to filter"), "{screen}");
    assert!(
        screen.contains("Health board: Hywel Dda University Health Board"),
        "the summary is shown:\n{screen}"
    );
    let text = std::fs::read_to_string(hub.path().join("content/case-studies/asked.md"))
        .unwrap_or_else(|e| panic!("{e}\n{screen}"));
    for line in [
        "title: \"Asked title\"",
        "summary: \"Asked summary.\"",
        "region: hywel-dda",
        "cluster: [north-ceredigion]",
        "outcomes: [pcmw-1, acd-2]",
        "status: exploring",
    ] {
        assert!(text.contains(&format!("\n{line}\n")), "{line} in\n{text}");
    }
    hub.check().expect_code(0);
    // Saying no writes nothing.
    let screen = in_terminal(
        &hub,
        "declined",
        &["T\r", "S.\r", "\r", "\r", "pcmw-1\r", "\r", "n"],
    );
    assert!(
        !hub.path().join("content/case-studies/declined.md").exists(),
        "{screen}"
    );
    assert!(screen.contains("nothing was written"), "{screen}");
}

#[test]
fn flags_take_clear_variants_and_every_bad_one_is_reported_at_once() {
    let hub = Hub::fixture("basic");
    hub.run(&[
        "new",
        "variants",
        "--region",
        "Cardiff",
        "--outcomes",
        "PCMW 3, acd-4",
        "--status",
        "Pilot",
        "--cluster",
        "Cardiff North",
        "--no-prompt",
    ])
    .expect_code(0);
    let text =
        std::fs::read_to_string(hub.path().join("content/case-studies/variants.md")).unwrap();
    for line in [
        "region: cardiff-and-vale",
        "outcomes: [pcmw-3, acd-4]",
        "status: pilot",
        "cluster: [cardiff-north]",
    ] {
        assert!(text.contains(&format!("\n{line}\n")), "{line} in\n{text}");
    }
    let run = hub.run(&[
        "new",
        "Bad_Slug",
        "--region",
        "cwm-taf-morganwg",
        "--outcomes",
        "pcmw-30",
        "--status",
        "piolt",
        "--no-prompt",
    ]);
    run.expect_code(2)
        .expect_stderr("error: `Bad_Slug` is not a valid slug")
        .expect_stderr(
            "error: `cwm-taf-morganwg` is not a key of regions; did you mean `cwm-taf-morgannwg`?",
        )
        .expect_stderr("error: `piolt` is not a key of statuses; did you mean `pilot`?")
        .expect_stderr("error: `pcmw-30` is not a key of outcomes");
    // Outside a hub nothing is created.
    let empty = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["new", "stray", "--no-prompt", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("is not a hub: it has no content/hub.yaml")
    );
    assert!(!empty.path().join("content").exists());
}

/// The field names and whether each is required, from a document's table of fields (the first
/// table headed `| field | required |` after `heading`).
fn documented_fields(file: &str, heading: &str) -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let section = text
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("{file} has a section `{heading}`"));
    section
        .lines()
        .skip_while(|l| !l.starts_with("| field"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_string(), cells[2] == "yes")
        })
        .collect()
}

#[test]
fn the_docs_and_hub_new_list_every_field_of_a_study() {
    let hub = Hub::fixture("basic");
    hub.run(&["new", "every-field", "--no-prompt"])
        .expect_code(0);
    let text =
        std::fs::read_to_string(hub.path().join("content/case-studies/every-field.md")).unwrap();
    let scaffold: Vec<String> = text
        .split("---")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    let table: Vec<(String, bool)> = hub::schema::STUDY
        .iter()
        .map(|f| (f.name.to_string(), f.required != hub::schema::Required::No))
        .collect();
    let names: Vec<String> = table.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        scaffold, names,
        "hub new writes every field, in table order"
    );
    let mut expected = table.clone();
    expected.sort();
    for (file, heading) in [
        ("CONTRIBUTING.md", "## The fields"),
        ("docs/reference.md", "## 3. Case-study front matter"),
    ] {
        let mut documented = documented_fields(file, heading);
        documented.sort();
        assert_eq!(
            documented, expected,
            "{file}'s table of fields (name, required) must match src/schema.rs"
        );
    }
}
