//! The JSON Schema is derived from the parser's types; this pins that every object of the
//! schema lists exactly the keys the parser accepts, so the two cannot drift apart.

use hacalc::parse::written::*;

fn properties(schema: &serde_json::Value, def: &str) -> Vec<String> {
    let obj = if def.is_empty() {
        schema
    } else {
        &schema["$defs"][def]
    };
    let mut keys: Vec<String> = obj["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{def} has no properties"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn schema_keys_match_the_parser() {
    let s = hacalc::parse::schema::schema();
    assert_eq!(properties(&s, ""), sorted(Model::KEYS));
    assert_eq!(properties(&s, "Targets"), sorted(Targets::KEYS));
    assert_eq!(properties(&s, "ComponentSpec"), sorted(ComponentSpec::KEYS));
    assert_eq!(properties(&s, "CopiesSpec"), sorted(CopiesSpec::KEYS));
    assert_eq!(properties(&s, "KofNSpec"), sorted(KofNSpec::KEYS));
    assert_eq!(
        properties(&s, "CommonCauseSpec"),
        sorted(CommonCauseSpec::KEYS)
    );
    assert_eq!(properties(&s, "StandbySpec"), sorted(StandbySpec::KEYS));
    assert_eq!(properties(&s, "LawSpec"), sorted(LawSpec::KEYS));
    assert_eq!(
        properties(&s, "MaintenanceSpec"),
        sorted(MaintenanceSpec::KEYS)
    );
    assert_eq!(properties(&s, "MarkovSpec"), sorted(MarkovSpec::KEYS));
    assert_eq!(
        properties(&s, "TransitionSpec"),
        sorted(TransitionSpec::KEYS)
    );
    assert_eq!(properties(&s, "NetworkSpec"), sorted(NetworkSpec::KEYS));
    assert_eq!(properties(&s, "LinkSpec"), sorted(LinkSpec::KEYS));
    // Block kinds in the schema are the parser's.
    let kinds: Vec<String> = s["$defs"]["Block"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| {
            v["required"]
                .as_array()
                .map(|r| r[0].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        kinds,
        Block::KINDS
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(s["required"], serde_json::json!(["system"]));
    assert_eq!(s["additionalProperties"], false);
}

#[test]
fn schema_accepts_the_examples_shapes() {
    // Spot checks of the value types: durations are strings with a unit, probabilities accept
    // numbers and percentages.
    let s = hacalc::parse::schema::schema();
    let text = serde_json::to_string(&s).unwrap();
    assert!(text.contains("\"Duration\""));
    assert!(s["$defs"]["Probability"]["oneOf"].as_array().unwrap().len() == 2);
}
