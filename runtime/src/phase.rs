//! One phase for jobs and statements of every service: a user who handles DLI, MRS and
//! DataArts Fabric jobs writes one `match`. Each generated status type maps its values onto it
//! (`.phase()`), as its spec declares with `x-phase`; a value the docs do not list is
//! [`Phase::Unknown`], kept as text.

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
    /// `table`, which codegen emits from the spec's `x-phase`.
    pub fn of<T: serde::Serialize>(value: &T, table: &[(&str, Phase)]) -> Phase {
        let wire = match serde_json::to_value(value) {
            Ok(serde_json::Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        };
        table
            .iter()
            .find(|(known, _)| *known == wire)
            .map_or(Phase::Unknown(wire), |(_, phase)| phase.clone())
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
