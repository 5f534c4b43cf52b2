#!/usr/bin/env python3
"""Writes N realistic, deterministic case studies as a hub root (and, with --hugo, the same
content as a Hugo site with equivalent templates and taxonomies).

    python3 bench/generate.py 10000 /tmp/hub-10k [--hugo /tmp/hugo-10k] [--seed 1]

Each study has 660-900 words, a table, a list, a blockquote, 2-3 links to other studies and, in
one study of ten, a code block: the shape the performance issue measures.

The words are real English drawn by their frequency (the `wordfreq` package's 200,000 most frequent
words, installed from PyPI when missing), one in four from the field's own vocabulary below: the
number of distinct words then grows with the corpus (about 33,000 at 1,000 studies, 92,000 at
10,000, 158,000 at 50,000), as it does in real case studies that name places, services and
organisations. `--vocabulary small` keeps the old 80-word vocabulary.
"""
import argparse
import os
import random
import shutil

REGIONS = ["aneurin-bevan", "betsi-cadwaladr", "cardiff-and-vale", "cwm-taf-morgannwg", "hywel-dda", "powys", "swansea-bay"]
OUTCOMES = [f"pcmw-{i}" for i in range(1, 14)] + [f"acd-{i}" for i in range(1, 8)]
THEMES = ["vision-and-leadership", "partnership-working", "professional-collaboratives", "access-to-resources",
          "decision-making-at-scale", "communications-and-trust", "population-need", "cost-saving"]
STATUSES = ["pilot", "evaluating", "proven", "mainstreamed", "scaled", "stopped"]
COLLABS = ["gms", "community-pharmacy", "optometry", "dental", "nursing", "allied-health-professionals",
           "mental-health", "social-care", "third-sector"]
WORDS = ("cluster practice pharmacy optometry dental nursing partners local authority third sector health board "
         "population need prevention wellbeing access frailty falls transport wound care clinic referral pathway "
         "evaluation funding mainstreaming sustainable workforce patients community hub social prescribing "
         "housing warm homes physiotherapy mental health psychology appointments triage signposting outcomes "
         "equity deprivation chronic conditions backlog diabetes review carers volunteers digital website "
         "messaging trust leadership collaborative planning budget pilot scaled lessons learned gofal cartref "
         "iechyd cymuned").split()
TOPICS = ["Falls", "Transport", "Wound care", "Warm homes", "Physio first", "Social prescribing", "Low vision",
          "Diabetes reviews", "Carers support", "Community psychology", "Digital access", "Frailty", "Dental access"]


# English by frequency: (words, cumulative weights), loaded by main() unless --vocabulary small.
ENGLISH = None


def load_english(n=200000):
    try:
        import wordfreq
    except ImportError:
        import subprocess
        import sys
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "wordfreq"], check=True)
        import wordfreq
    listed = wordfreq.top_n_list("en", n * 2, wordlist="large")
    words = [w for w in listed if w.isalpha() and w.isascii() and len(w) > 1][:n]
    cum, total = [], 0.0
    for w in words:
        total += wordfreq.word_frequency(w, "en", wordlist="large")
        cum.append(total)
    return words, cum


# Every word drawn, to report the vocabulary's size.
DRAWN = set()


def draw(rng, n):
    if ENGLISH is None:
        out = [rng.choice(WORDS) for _ in range(n)]
    else:
        words, cum = ENGLISH
        english = rng.choices(words, cum_weights=cum, k=n)
        out = [rng.choice(WORDS) if rng.random() < 0.25 else w for w in english]
    DRAWN.update(w.lower() for w in out)
    return out


def sentence(rng, n=None):
    n = n or rng.randint(8, 18)
    words = draw(rng, n)
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


def study(rng, i, n):
    slug = f"study-{i:05d}"
    topic = rng.choice(TOPICS)
    title = f"{topic} in cluster {i}"
    links = rng.sample(range(n), k=min(n, rng.randint(2, 3)))
    links = [j for j in links if j != i] or [(i + 1) % n]
    fm = {
        "region": rng.choice(REGIONS),
        "outcomes": rng.sample(OUTCOMES, rng.randint(1, 3)),
        "themes": rng.sample(THEMES, rng.randint(0, 2)),
        "status": rng.choice(STATUSES),
        "collaboratives": rng.sample(COLLABS, rng.randint(0, 2)),
        "updated": f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    body = []
    body.append("## What was done\n\n" + paragraph(rng, 9))
    body.append(paragraph(rng, 8))
    body.append("## What it achieved\n\n" + paragraph(rng, 8))
    body.append("| Measure | Before | After |\n|---|---|---|\n" + "\n".join(
        f"| {rng.choice(WORDS)} {rng.choice(WORDS)} | {rng.randint(1, 99)} | {rng.randint(1, 99)} |" for _ in range(4)))
    body.append("\n".join(f"- {sentence(rng, 8)}" for _ in range(5)))
    body.append("> " + sentence(rng, 20))
    body.append("## What helped and what got in the way\n\n" + paragraph(rng, 8))
    body.append("See also " + ", ".join(f"[study {j}](study-{j:05d}.md)" for j in links) + ".")
    if i % 10 == 0:
        body.append("```python\ndef referrals(week):\n    return sum(w.count for w in week)\n```")
    body.append("## Mainstreaming and spread\n\n" + paragraph(rng, 9))
    return slug, title, fm, "\n\n".join(body) + "\n"


def yaml_list(xs):
    return "[" + ", ".join(xs) + "]"


def write_hub(root, studies):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "content", "case-studies"))
    with open(os.path.join(root, "content", "hub.yaml"), "w") as f:
        f.write("title: Generated Hub\nbase_url: https://example.org/\nlanguages: [en, cy]\n")
    for slug, title, fm, body in studies:
        with open(os.path.join(root, "content", "case-studies", slug + ".md"), "w") as f:
            f.write("---\n")
            f.write(f"title: {title}\nsummary: {title}, what was done, for whom, and what it achieved.\n")
            f.write(f"region: {fm['region']}\noutcomes: {yaml_list(fm['outcomes'])}\n")
            if fm["themes"]:
                f.write(f"themes: {yaml_list(fm['themes'])}\n")
            f.write(f"status: {fm['status']}\nupdated: {fm['updated']}\n")
            if fm["collaboratives"]:
                f.write(f"collaboratives: {yaml_list(fm['collaboratives'])}\n")
            f.write("---\n\n" + body)


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Generated Hub"
disableKinds = ["RSS"]
[taxonomies]
  region = "regions"
  outcome = "outcomes"
  theme = "themes"
  status = "status"
  collaborative = "collaboratives"
[markup.highlight]
  noClasses = false
[sitemap]
  changefreq = ""
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} – {{ site.Title }}</title><link rel=\"stylesheet\" href=\"/assets/hub.css\"></head><body><header><a href=\"/\">{{ site.Title }}</a><nav><a href=\"/case-studies/\">Case studies</a> <a href=\"/outcomes/\">Outcomes</a> <a href=\"/regions/\">Regions</a></nav></header><main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p><dl>{{ range $tax, $_ := site.Taxonomies }}{{ with $.GetTerms $tax }}<dt>{{ $tax }}</dt><dd>{{ range . }}<a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}{{ end }}</dl>{{ .Content }}</article>{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}",
    "_default/terms.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}",
    "index.html": "{{ define \"main\" }}<h1>{{ site.Title }}</h1><ul>{{ range first 6 (where site.RegularPages \"Section\" \"case-studies\").ByLastmod.Reverse }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
    "404.html": "{{ define \"main\" }}<h1>Page not found</h1>{{ end }}",
}


def write_hugo(root, studies):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "content", "case-studies"))
    with open(os.path.join(root, "hugo.toml"), "w") as f:
        f.write(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        path = os.path.join(root, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    for slug, title, fm, body in studies:
        body = body.replace(".md)", "/)").replace("](study-", "](../study-")
        with open(os.path.join(root, "content", "case-studies", slug + ".md"), "w") as f:
            f.write("---\n")
            f.write(f"title: \"{title}\"\nsummary: \"{title}, what was done, for whom, and what it achieved.\"\n")
            f.write(f"regions: [{fm['region']}]\noutcomes: {yaml_list(fm['outcomes'])}\n")
            f.write(f"themes: {yaml_list(fm['themes'])}\nstatus: [{fm['status']}]\nlastmod: {fm['updated']}\n")
            f.write(f"collaboratives: {yaml_list(fm['collaboratives'])}\n")
            f.write("---\n\n" + body)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--hugo")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--vocabulary", choices=["realistic", "small"], default="realistic")
    a = p.parse_args()
    global ENGLISH
    if a.vocabulary == "realistic":
        ENGLISH = load_english()
    rng = random.Random(a.seed)
    studies = [study(rng, i, a.n) for i in range(a.n)]
    write_hub(a.out, studies)
    print(f"distinct words: {len(DRAWN)}")
    if a.hugo:
        write_hugo(a.hugo, studies)


if __name__ == "__main__":
    main()
