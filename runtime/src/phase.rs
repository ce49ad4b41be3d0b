//! One phase for jobs and statements of every service: a user who handles DLI, MRS and
//! DataArts Fabric jobs writes one `match`. Each generated status type maps its values onto it
//! (`.phase()`), as its spec declares with `x-phase`; a value the docs do not list is
//! [`Phase::Unknown`], kept as text.

/// How much of a status word [`Phase::Unknown`] keeps.
pub const UNKNOWN_WORD_CHARS: usize = 128;

/// Where a job or statement is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Accepted, waiting to run (submitted, queued, waiting for resources).
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// A value the spec does not map: the service's word for it; empty when the response
    /// carries no status (a missing field, or DataArts Fabric's raw-string result).
    Unknown(String),
}

impl Phase {
    /// Whether the job or statement has stopped (succeeded, failed or cancelled).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed | Phase::Cancelled)
    }

    /// The phase of a status value as it is sent (`value`, serialised: `"RUNNING"`), looked up in
    /// `table`, which codegen emits from the spec's `x-phase`. Services and their docs disagree
    /// on case (`success` in a table, `"Success"` in the answer) and pad words, so the lookup
    /// ignores ASCII case and surrounding white space. A word the table lacks is kept in
    /// [`Phase::Unknown`], cut to [`UNKNOWN_WORD_CHARS`] characters (a server may send megabytes).
    pub fn of<T: serde::Serialize>(value: &T, table: &[(&str, Phase)]) -> Phase {
        let wire = Phase::word(value);
        let word = wire.trim();
        table
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(word))
            .map_or_else(
                || Phase::Unknown(crate::response::bounded_text(&wire, UNKNOWN_WORD_CHARS)),
                |(_, phase)| phase.clone(),
            )
    }

    /// A status value as the service sent it (`"RUNNING"` → `RUNNING`, `3` → `3`), whole.
    pub fn word<T: serde::Serialize>(value: &T) -> String {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        }
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Phase::Queued => f.write_str("queued"),
            Phase::Running => f.write_str("running"),
            Phase::Succeeded => f.write_str("succeeded"),
            Phase::Failed => f.write_str("failed"),
            Phase::Cancelled => f.write_str("cancelled"),
            Phase::Unknown(word) if word.is_empty() => {
                f.write_str("unknown (no status in the response)")
            }
            Phase::Unknown(word) => write!(f, "unknown ({word})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator writes `cloud_runtime::Phase::<variant>` for each `x-phase` word it accepts
    /// (`contract::PHASES`): each names a variant, and every variant but `Unknown` has a word.
    #[test]
    fn the_contract_names_every_phase() {
        let all = [
            Phase::Queued,
            Phase::Running,
            Phase::Succeeded,
            Phase::Failed,
            Phase::Cancelled,
        ];
        let named: Vec<String> = all.iter().map(|phase| format!("{phase:?}")).collect();
        let listed: Vec<&str> = crate::contract::PHASES.iter().map(|(_, v)| *v).collect();
        assert_eq!(named, listed);
        for (word, variant) in crate::contract::PHASES {
            assert_eq!(word.to_ascii_lowercase(), variant.to_ascii_lowercase());
        }
        // A new variant fails here first: the list above and the contract must grow together.
        for phase in all {
            match phase {
                Phase::Queued
                | Phase::Running
                | Phase::Succeeded
                | Phase::Failed
                | Phase::Cancelled
                | Phase::Unknown(_) => {}
            }
        }
    }

    #[test]
    fn values_map_through_the_table_and_others_are_kept_as_text() {
        let table = [("RUNNING", Phase::Running), ("FINISHED", Phase::Succeeded)];
        assert_eq!(Phase::of(&"RUNNING", &table), Phase::Running);
        assert_eq!(Phase::of(&"FINISHED", &table), Phase::Succeeded);
        assert_eq!(
            Phase::of(&"QUEUED_FOR_RESOURCES", &table),
            Phase::Unknown("QUEUED_FOR_RESOURCES".into())
        );
        assert_eq!(Phase::of(&3, &[("3", Phase::Succeeded)]), Phase::Succeeded);
        // Case and surrounding white space do not matter; inner ones do.
        for word in ["running", "Running", " RUNNING", "RUNNING\t\n", "rUnNiNg "] {
            assert_eq!(Phase::of(&word, &table), Phase::Running, "{word:?}");
        }
        assert_eq!(
            Phase::of(&"RUN NING", &table),
            Phase::Unknown("RUN NING".into())
        );
        // A huge unknown word is cut, and says how long it was.
        let huge = "X".repeat(10 * 1024 * 1024);
        let phase = Phase::of(&huge, &table);
        let shown = phase.to_string();
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert!(shown.contains("10485760 bytes"), "{shown}");
        assert!(Phase::Cancelled.is_terminal() && !Phase::Queued.is_terminal());
        assert!(!Phase::Unknown("X".into()).is_terminal());
        assert_eq!(
            Phase::Unknown("PAUSED".into()).to_string(),
            "unknown (PAUSED)"
        );
        assert_eq!(
            Phase::Unknown(String::new()).to_string(),
            "unknown (no status in the response)"
        );
    }
}
