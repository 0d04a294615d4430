//! axe-core in the real app (WebKitGTK): injects `ui/node_modules/axe-core/axe.min.js` into
//! the webview and fails on any serious or critical violation, and on the structural rules
//! the UI keeps (one `<main>`, heading order, content in landmarks, one banner), the same
//! policy as the browser checks (`ui/e2e-browser/axe.mjs`).

use std::path::Path;

use fantoccini::Client;
use serde_json::Value;

use crate::driver::E2eResult;

/// Rules enforced whatever their impact.
const ALWAYS: [&str; 5] = [
    "landmark-one-main",
    "heading-order",
    "region",
    "landmark-no-duplicate-banner",
    "landmark-unique",
];

/// Runs axe on the current screen; an error lists every violation that counts.
pub async fn expect_axe_clean(c: &Client, screen: &str) -> E2eResult<()> {
    let loaded = c
        .execute("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded != Value::Bool(true) {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "axe-core not installed ({}): {e}; run npm ci in ui/",
                path.display()
            )
        })?;
        c.execute(&format!("{source}\nreturn typeof window.axe;"), vec![])
            .await?;
    }
    let script = "const done = arguments[arguments.length - 1];
        window.axe.run(document, { resultTypes: ['violations'] })
          .then((r) => done(JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + (n.any[0] ? ' (' + n.any[0].message + ')' : '')) })))))
          .catch((e) => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', nodes: [String(e)] }])));";
    let out = c.execute_async(script, vec![]).await?;
    let violations: Vec<Value> = serde_json::from_str(out.as_str().unwrap_or("[]"))?;
    let counted: Vec<String> = violations
        .iter()
        .filter(|v| {
            let impact = v["impact"].as_str().unwrap_or_default();
            let id = v["id"].as_str().unwrap_or_default();
            impact == "serious" || impact == "critical" || ALWAYS.contains(&id)
        })
        .map(|v| format!("{} {}: {}", v["impact"], v["id"], v["nodes"]))
        .collect();
    if counted.is_empty() {
        eprintln!("e2e: axe clean on {screen}");
        Ok(())
    } else {
        Err(format!("axe on {screen}: {}", counted.join(" | ")).into())
    }
}
