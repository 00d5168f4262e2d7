//! Helpers shared by the integration tests.

/// The example models' file names, sorted.
pub fn examples() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.ends_with(".yaml").then_some(n)
        })
        .collect();
    v.sort();
    v
}
