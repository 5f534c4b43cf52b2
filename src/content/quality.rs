//! What a reviewer would send back, said before the pull request is sent: a summary too long
//! for listings, personal contact details, and a study that names no source. Warnings, never
//! errors: a hub that builds today keeps building.

use super::document::StudyFront;
use crate::diagnostics::Diagnostic;
use crate::model::Value;

/// Listings and search results show about this many characters of a summary.
pub const SUMMARY_CHARACTERS: usize = 300;

/// Words that make an e-mail address a role's or a team's, not a person's.
const ROLE_WORDS: &[&str] = &[
    "admin",
    "cluster",
    "contact",
    "enquiries",
    "enquiry",
    "hub",
    "info",
    "lead",
    "office",
    "primarycare",
    "primary.care",
    "team",
    "service",
    "services",
    "support",
    "help",
    "ncn",
    "lcc",
    "collaborative",
    "practice",
    "surgery",
    "manager",
    "coordinator",
    "development",
];

/// The warnings for one study file. `cites`: it should name its sources (it is the file its
/// classification comes from, and the hub keeps a library of sources in content/sources/).
pub fn study_warnings(
    front: &StudyFront,
    path: &str,
    lang: crate::lang::Lang,
    cites: bool,
    diags: &mut Vec<Diagnostic>,
) {
    // Welsh runs about a fifth longer than the English it translates.
    let limit = match lang {
        crate::lang::Lang::En => SUMMARY_CHARACTERS,
        crate::lang::Lang::Cy => SUMMARY_CHARACTERS * 6 / 5,
    };
    if let Some(s) = front.text("summary")
        && let Value::Text(text) = &s.value
    {
        let n = text.chars().count();
        if n > limit {
            diags.push(
                Diagnostic::warning(path, s.line, s.column, format!("the summary is {n} characters long; listings and search show about {limit}"))
                    .with_help("keep it to one or two sentences, what was done and what it achieved; the rest belongs in the text"),
            );
        }
    }
    if let Some(c) = front.text("contact")
        && let Value::Text(text) = &c.value
    {
        for problem in personal_details(text) {
            diags.push(
                Diagnostic::warning(path, c.line, c.column, format!("`contact` gives {problem}"))
                    .with_help("give a role or a team mailbox instead (e.g. \"Cluster lead, North Powys\"), unless the person has agreed to be named"),
            );
        }
    }
    let origin_cluster =
        matches!(front.get("origin").map(|v| &v.value), Some(Value::Text(o)) if o == "cluster");
    if cites && front.get("sources").is_none() && !origin_cluster {
        diags.push(
            Diagnostic::warning(path, 1, 1, "this case study names no source")
                .with_help("list the documents it is written from in `sources:`, or write `origin: cluster` if your cluster wrote it from its own knowledge"),
        );
    }
}

/// The personal details in a contact: a person's e-mail address, a mobile number.
fn personal_details(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>'))
    {
        let word = word
            .trim_start_matches("mailto:")
            .trim_matches(|c: char| matches!(c, '.' | '"'));
        if let Some((local, domain)) = word.split_once('@')
            && domain.contains('.')
        {
            let local = local.to_lowercase();
            let a_person =
                local.contains(['.', '_', '-']) || local.chars().all(|c| c.is_ascii_alphabetic());
            if a_person && !ROLE_WORDS.iter().any(|r| local.contains(r)) {
                out.push(format!(
                    "what looks like a person's e-mail address, `{word}`"
                ));
            }
        }
    }
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if digits.starts_with("07") && digits.len() == 11
        || digits.starts_with("+447") && digits.len() == 13
    {
        out.push("what looks like a mobile phone number".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_told_from_roles() {
        assert_eq!(personal_details("jane.smith@wales.nhs.uk").len(), 1);
        assert_eq!(personal_details("Jane Smith, jsmith@example.org").len(), 1);
        assert!(personal_details("northpowys.cluster@wales.nhs.uk").is_empty());
        assert!(personal_details("Cluster lead, North Powys").is_empty());
        assert!(personal_details("primarycare.team@wales.nhs.uk").is_empty());
        assert_eq!(personal_details("Call 07700 900123").len(), 1);
        assert!(personal_details("Call 01597 828700").is_empty());
    }
}
