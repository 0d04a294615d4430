//! Survey flow of a definition: question order (blocks as the flow visits them) and the
//! embedded data fields it declares.
//!
//! Contract: [`flow_order`] lists question ids in flow order (blocks the flow names, then the
//! others) and the ids in `Trash` blocks; [`embedded_fields`] collects embedded data names from
//! every `EmbeddedData` element of `SurveyFlow` (recursively) and from a top-level
//! `EmbeddedData`/`embeddedData` list, deduplicated, in order.

use std::collections::HashSet;

use serde_json::{Map, Value};

/// Question ids in flow order, and the ids sitting in `Trash` blocks.
pub(super) fn flow_order(root: &Map<String, Value>) -> (Vec<String>, HashSet<String>) {
    let blocks: Vec<(String, &Map<String, Value>)> = match root.get("Blocks") {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, b)| {
                let b = b.as_object()?;
                let id = b.get("ID").and_then(Value::as_str).unwrap_or(k).to_owned();
                Some((id, b))
            })
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|b| {
                let b = b.as_object()?;
                Some((b.get("ID").and_then(Value::as_str)?.to_owned(), b))
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut block_ids = Vec::new();
    if let Some(flow) = root.get("SurveyFlow") {
        collect_flow_blocks(flow, &mut block_ids);
    }
    for (id, _) in &blocks {
        if !block_ids.contains(id) {
            block_ids.push(id.clone());
        }
    }
    let mut order = Vec::new();
    let mut trashed = HashSet::new();
    for bid in &block_ids {
        let Some((_, block)) = blocks.iter().find(|(id, _)| id == bid) else {
            continue;
        };
        let is_trash = block.get("Type").and_then(Value::as_str) == Some("Trash");
        for el in block
            .get("BlockElements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if el.get("Type").and_then(Value::as_str) != Some("Question") {
                continue;
            }
            if let Some(qid) = el.get("QuestionID").and_then(Value::as_str) {
                if is_trash {
                    trashed.insert(qid.to_owned());
                }
                order.push(qid.to_owned());
            }
        }
    }
    (order, trashed)
}

fn collect_flow_blocks(node: &Value, out: &mut Vec<String>) {
    if let Some(id) = node.get("ID").and_then(Value::as_str) {
        if id.starts_with("BL_") && !out.iter().any(|x| x == id) {
            out.push(id.to_owned());
        }
    }
    for child in node
        .get("Flow")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_flow_blocks(child, out);
    }
}

pub(super) fn embedded_fields(root: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        let name = name.trim();
        if !name.is_empty() && !out.iter().any(|x| x == name) {
            out.push(name.to_owned());
        }
    };
    fn walk(node: &Value, push: &mut dyn FnMut(&str)) {
        if node.get("Type").and_then(Value::as_str) == Some("EmbeddedData") {
            for f in node
                .get("EmbeddedData")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(name) = f.get("Field").and_then(Value::as_str) {
                    push(name);
                }
            }
        }
        for child in node
            .get("Flow")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(child, push);
        }
    }
    if let Some(flow) = root.get("SurveyFlow") {
        walk(flow, &mut push);
    }
    for key in ["EmbeddedData", "embeddedData"] {
        for f in root
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = f
                .get("Field")
                .or_else(|| f.get("name"))
                .or_else(|| f.get("Name"));
            if let Some(name) = name.and_then(Value::as_str) {
                push(name);
            }
        }
    }
    out
}
