//! Clusters (#19): what `cluster:` accepts, hub.yaml's changes to the list, and the pages,
//! facet and catalogue columns they give.

use crate::harness::Hub;

/// The basic fixture with alpha's `cluster:` line replaced by `line`.
fn with_cluster(line: &str) -> Hub {
    let hub = Hub::fixture("basic");
    let path = hub.path().join("content/case-studies/alpha.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("cluster: north-powys\n", &format!("{line}\n"));
    std::fs::write(path, text).unwrap();
    hub
}

fn add_to_hub_yaml(hub: &Hub, text: &str) {
    let path = hub.path().join("content/hub.yaml");
    let config = std::fs::read_to_string(&path).unwrap() + text;
    std::fs::write(path, config).unwrap();
}

#[test]
fn a_name_or_alias_is_accepted_with_a_warning_that_gives_the_key() {
    let hub = with_cluster("cluster: North Powys Cluster");
    hub.build()
        .expect_code(0)
        .expect_stderr("content/case-studies/alpha.md:5:10: warning: `North Powys Cluster` is another name for the cluster `north-powys`\n  help: write its key: `cluster: north-powys`");
    assert!(
        hub.read("regions/powys/north-powys/index.html")
            .contains("Alpha Falls Service")
    );
}

#[test]
fn a_study_across_clusters_is_on_each_clusters_page_and_its_card_names_them() {
    let hub = with_cluster("cluster: [north-powys, mid-powys]");
    hub.build().expect_code(0);
    for c in ["north-powys", "mid-powys"] {
        let page = hub.read(&format!("regions/powys/{c}/index.html"));
        assert!(page.contains("/case-studies/alpha/"), "{c}");
    }
    // A cluster with no study says so, and shows its board's work instead.
    let south = hub.read("regions/powys/south-powys/index.html");
    assert!(south.contains("No case study from this cluster yet."));
    let board_work = &south[south.find("id=\"board-work-heading\"").unwrap()..];
    assert!(board_work.contains("/case-studies/alpha/"));
    // North Powys's page shows work on the same outcomes in other boards: beta, in Hywel Dda,
    // shares PCMW 3.
    let north = hub.read("regions/powys/north-powys/index.html");
    assert!(!north.contains("id=\"board-work-heading\""));
    let elsewhere = &north[north.find("id=\"elsewhere-heading\"").unwrap()..];
    assert!(elsewhere.contains("/case-studies/beta/"));
    let board = hub.read("regions/powys/index.html");
    assert!(
        board.contains("<span>North Powys, Mid Powys</span>"),
        "the card names both"
    );
    let study = hub.read("case-studies/alpha/index.html");
    assert!(study.contains("href=\"/regions/powys/north-powys/\""));
    assert!(study.contains("href=\"/regions/powys/mid-powys/\""));
}

#[test]
fn a_board_page_lists_every_cluster_with_counts_and_a_table_by_outcome() {
    let hub = Hub::fixture("basic");
    hub.build().expect_code(0);
    let board = hub.read("regions/powys/index.html");
    let list = &board[board.find("id=\"clusters-heading\"").unwrap()..];
    let list = &list[..list.find("</ul>").unwrap()];
    assert!(list.contains("<a href=\"/regions/powys/north-powys/\">North Powys</a> <span class=\"count\">1 study</span>"), "{list}");
    assert!(list.contains("<a href=\"/regions/powys/south-powys/\">South Powys</a> <span class=\"count\">no case study yet</span>"), "{list}");
    assert!(board.contains("3 of the board’s 3 clusters are listed here"));
    // Alpha (north-powys) serves PCMW 3 and ACD 4.
    let table = &board[board.find("class=\"coverage cluster-matrix\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let row = &table[table.find("north-powys/\">North Powys</a></th>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<a href=\"/search/?clusters=north-powys&amp;outcomes=pcmw-3\">1</a>"),
        "{row}"
    );
    assert!(row.ends_with("<td>1</td>"), "{row}");
    // Every board's clusters, and those with no study, have pages in both languages.
    for page in [
        "regions/hywel-dda/llanelli/index.html",
        "cy/regions/hywel-dda/llanelli/index.html",
    ] {
        let html = hub.read(page);
        assert!(html.contains("Llanelli"));
    }
    let cy = hub.read("cy/regions/powys/north-powys/index.html");
    assert!(
        cy.contains("<h1 lang=\"en\">North Powys</h1>"),
        "no source gives a Welsh name"
    );
    let ctm = hub.read("cy/regions/cwm-taf-morgannwg/bridgend-west/index.html");
    assert!(
        ctm.contains("<h1>Gorllewin Pen-y-bont ar Ogwr</h1>"),
        "a sourced Welsh name"
    );
    let regions = hub.read("regions/index.html");
    assert!(regions.contains(
        "<a href=\"/regions/powys/north-powys/\">North Powys</a> <span class=\"count\">(1)</span>"
    ));
}

#[test]
fn a_renamed_cluster_keeps_its_old_key_and_a_retired_one_its_studies() {
    let hub = Hub::fixture("basic");
    add_to_hub_yaml(
        &hub,
        "clusters:\n  powys:\n    - key: north-powys-and-welshpool\n      en: North Powys and Welshpool\n      formerly: [north-powys]\n      source: Powys Teaching Health Board, 2026\n    - key: south-powys\n      retired: true\n",
    );
    hub.build()
        .expect_code(0)
        .expect_stderr("content/case-studies/alpha.md:5:10: warning: the cluster `north-powys` was renamed `north-powys-and-welshpool` in hub.yaml\n  help: write `cluster: north-powys-and-welshpool`");
    let page = hub.read("regions/powys/north-powys-and-welshpool/index.html");
    assert!(page.contains("Alpha Falls Service") && page.contains("<code>north-powys</code>"));
    assert!(!hub.exists("regions/powys/north-powys/index.html"));
    let board = hub.read("regions/powys/index.html");
    assert!(
        !board.contains("/regions/powys/south-powys/\""),
        "a retired cluster without studies is not listed"
    );
    // The old name still resolves, as an alias.
    let hub = with_cluster("cluster: North Powys");
    add_to_hub_yaml(
        &hub,
        "clusters:\n  powys:\n    - key: north-powys-and-welshpool\n      en: North Powys and Welshpool\n      formerly: [north-powys]\n",
    );
    hub.build()
        .expect_code(0)
        .expect_stderr("`North Powys` is another name for the cluster `north-powys-and-welshpool`");
    // A retired cluster with studies keeps its page, which says so.
    let hub = Hub::fixture("basic");
    add_to_hub_yaml(
        &hub,
        "clusters:\n  powys:\n    - key: north-powys\n      retired: true\n",
    );
    hub.build().expect_code(0);
    assert!(
        hub.read("regions/powys/north-powys/index.html")
            .contains("This cluster no longer exists")
    );
    assert!(
        hub.read("regions/powys/index.html")
            .contains("(no longer a cluster)")
    );
}

#[test]
fn a_board_adds_a_cluster_with_its_source_and_welsh_name() {
    let hub = Hub::fixture("basic");
    add_to_hub_yaml(
        &hub,
        "clusters:\n  aneurin-bevan:\n    - key: blaenau-gwent-east\n      en: Blaenau Gwent East\n      cy: Dwyrain Blaenau Gwent\n      source: https://example.org/abuhb-clusters\n",
    );
    hub.build().expect_code(0);
    let page = hub.read("cy/regions/aneurin-bevan/blaenau-gwent-east/index.html");
    assert!(page.contains("<h1>Dwyrain Blaenau Gwent</h1>"));
    assert!(page.contains("href=\"https://example.org/abuhb-clusters\""));
    let board = hub.read("regions/aneurin-bevan/index.html");
    assert!(board.contains("5 of the board’s 11 clusters are listed here"));
    // A key used by another board is refused.
    let hub = Hub::fixture("basic");
    add_to_hub_yaml(
        &hub,
        "clusters:\n  aneurin-bevan:\n    - key: north-powys\n      en: X\n      source: https://example.org/\n",
    );
    hub.check()
        .expect_code(1)
        .expect_stderr("content/hub.yaml:6:12: error: `north-powys` is already a cluster of Powys Teaching Health Board; a key names one cluster in Wales");
}

#[test]
fn the_catalogue_and_the_search_facet_carry_the_cluster() {
    let hub = with_cluster("cluster: [north-powys, mid-powys]");
    hub.build().expect_code(0);
    let cat: serde_json::Value = serde_json::from_str(&hub.read("catalogue.json")).unwrap();
    let alpha = cat["studies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "alpha")
        .unwrap();
    assert_eq!(
        alpha["cluster"],
        serde_json::json!(["north-powys", "mid-powys"])
    );
    assert_eq!(
        alpha["cluster_name"],
        serde_json::json!(["North Powys", "Mid Powys"])
    );
    let csv = hub.read("catalogue.csv");
    let header = csv.lines().next().unwrap();
    assert!(header.contains(",cluster,cluster_name,"), "{header}");
    assert!(csv.contains(",north-powys; mid-powys,North Powys; Mid Powys,"));
    let index: serde_json::Value = serde_json::from_str(&hub.read("search/en/index.json")).unwrap();
    let kinds = index["kinds"].as_array().unwrap();
    let clusters = kinds.iter().find(|k| k["name"] == "clusters").unwrap();
    let values = clusters["values"].as_array().unwrap();
    let used: Vec<&str> = values
        .iter()
        .filter(|v| v.get("unused").is_none())
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(used, ["north-powys", "mid-powys"]);
    assert_eq!(values[0]["group"], "Aneurin Bevan University Health Board");
}
