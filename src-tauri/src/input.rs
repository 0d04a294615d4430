//! [`Input`]: a command argument the webview sent, deserialized at the IPC boundary into its
//! core type (a typed id, a card configuration) with a failure kept for the adapter.
//!
//! Contract: Tauri turns an argument it cannot deserialize into a plain string rejection,
//! which the UI can only treat as `internal`. An `Input<T>` always deserializes; the adapter's
//! [`Input::get`] then yields the `T` or rejects with `{ kind: "invalidInput", message }`, the
//! message naming the argument's problem ("survey id 'x/../y' is not a Qualtrics survey id
//! (SV_ followed by letters and digits)"). So a malformed id never reaches core, and the UI
//! still branches on the kind.

use pulsemap_core::ErrorKind;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::CommandError;

/// A command argument: the deserialized `T`, or why the webview's value is not one.
#[derive(Debug, Clone)]
pub struct Input<T>(Result<T, String>);

impl<T> Input<T> {
    /// The argument, or an `invalidInput` [`CommandError`] saying what is wrong with it.
    pub fn get(&self) -> Result<&T, CommandError> {
        self.0
            .as_ref()
            .map_err(|message| CommandError::new(ErrorKind::InvalidInput, message.clone()))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Input<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(Self(
            serde_json::from_value(value).map_err(|e| e.to_string()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use pulsemap_core::metrics::MetricCardConfig;
    use pulsemap_core::{CardId, SurveyId};
    use serde_json::json;

    use super::*;

    #[test]
    fn a_malformed_survey_id_is_invalid_input_naming_it() {
        let arg: Input<SurveyId> = serde_json::from_value(json!("x/../y")).unwrap();
        let err = arg.get().unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert_eq!(
            err.message,
            "survey id 'x/../y' is not a Qualtrics survey id (SV_ followed by letters and digits)"
        );
        let ok: Input<SurveyId> = serde_json::from_value(json!("SV_abc")).unwrap();
        assert_eq!(ok.get().unwrap().as_str(), "SV_abc");
    }

    #[test]
    fn a_card_config_with_a_malformed_survey_is_invalid_input() {
        let mut config = serde_json::to_value(MetricCardConfig::default()).unwrap();
        config["surveyId"] = json!("SV_a?b=1");
        let arg: Input<MetricCardConfig> = serde_json::from_value(config).unwrap();
        let err = arg.get().unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert!(
            err.message.contains("survey id 'SV_a?b=1' is not"),
            "{}",
            err.message
        );
    }

    #[test]
    fn ids_of_other_kinds_and_non_strings_are_refused_too() {
        let arg: Input<CardId> = serde_json::from_value(json!("../../etc")).unwrap();
        assert!(arg
            .get()
            .unwrap_err()
            .message
            .starts_with("card id '../../etc' is not"));
        let arg: Input<CardId> = serde_json::from_value(json!(7)).unwrap();
        assert_eq!(arg.get().unwrap_err().kind, ErrorKind::InvalidInput);
    }
}
