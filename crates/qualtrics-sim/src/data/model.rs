//! Static description of a simulated survey: questions, choices, embedded data.
//!
//! Contract: these types are the single source of truth from which the survey
//! definition (`survey-definitions`), the legacy survey view (`GET /surveys/{id}`),
//! the response generator and the export writers (JSON and CSV) are all derived,
//! so the shapes can never disagree with each other.

/// One selectable answer of a choice question (or one row/column of a matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Choice id as used in definitions (`Choices` keys) and CSV `choiceId`.
    pub id: &'static str,
    /// Recode value, the number exported in JSON `values`.
    pub recode: &'static str,
    /// Display text (also the label in `labels`).
    pub label: &'static str,
    /// `false` for "not analysed" choices such as "Don't know".
    pub analyze: bool,
    /// Whether the survey definition marks a not-analysed choice (the legacy view always
    /// does; recorded definitions often carry no mark at all).
    pub marked_in_definition: bool,
}

impl Choice {
    /// A choice whose recode equals its id and which is analysed.
    pub const fn new(id: &'static str, label: &'static str) -> Self {
        Choice {
            id,
            recode: id,
            label,
            analyze: true,
            marked_in_definition: true,
        }
    }

    /// An analysed choice whose recode differs from its id (reverse-coded, negative).
    pub const fn recoded(id: &'static str, recode: &'static str, label: &'static str) -> Self {
        Choice {
            id,
            recode,
            label,
            analyze: true,
            marked_in_definition: true,
        }
    }

    /// A choice excluded from analysis ("Don't know", "N/A") with its own recode.
    pub const fn not_analysed(id: &'static str, recode: &'static str, label: &'static str) -> Self {
        Choice {
            id,
            recode,
            label,
            analyze: false,
            marked_in_definition: true,
        }
    }

    /// A choice excluded from analysis that only the legacy view marks (`"analyze": false`);
    /// the definition says nothing about it.
    pub const fn not_analysed_legacy_only(
        id: &'static str,
        recode: &'static str,
        label: &'static str,
    ) -> Self {
        Choice {
            id,
            recode,
            label,
            analyze: false,
            marked_in_definition: false,
        }
    }

    /// The recode as a JSON number.
    pub fn recode_number(&self) -> i64 {
        self.recode.parse().unwrap_or(0)
    }
}

/// What kind of question this is; decides type/selector and export keys.
#[derive(Debug, Clone, Copy)]
pub enum QuestionKind {
    /// Net Promoter Score 0-10 (`MC`/`NPS`); exports `QIDn` and `QIDn_NPS_GROUP`.
    Nps,
    /// Single answer (`MC`/`SAVR`); exports `QIDn` = recode number.
    Single(&'static [Choice]),
    /// Multiple answer (`MC`/`MAVR`); exports `QIDn` = array of recode strings.
    Multi(&'static [Choice]),
    /// Matrix (`Matrix`/`Likert` or `Bipolar`); exports `QIDn_<row>` = the scale point's
    /// recode number (single answer) or an array of recode strings (`MultipleAnswer`).
    Matrix {
        /// Statements (rows); definitions call them `Choices`.
        rows: &'static [Choice],
        /// Scale points; definitions call them `Answers`.
        scale: &'static [Choice],
        /// `Likert` or `Bipolar`.
        selector: &'static str,
        /// `MultipleAnswer` instead of `SingleAnswer`.
        multi: bool,
    },
    /// Free text (`TE`/`ML`); exports `QIDn_TEXT`.
    Text,
    /// Numeric text entry (`TE`/`SL` whose `Validation.Settings.ContentType` is
    /// `ValidNumber`, with `ValidNumber` `Min`/`Max`/`NumDecimals`): respondents must type a
    /// number, exported as the typed text in `QIDn_TEXT`.
    NumberEntry {
        /// Lowest accepted value.
        min: i64,
        /// Highest accepted value.
        max: i64,
        /// Decimals accepted.
        decimals: u8,
    },
    /// Multiple choice with an explicit selector: `SAHR` (horizontal), `DL` (dropdown), `SB`
    /// (select box) answer once; `MAHR`, `MSB` (multi select box) several times. Exports
    /// like [`QuestionKind::Single`] / [`QuestionKind::Multi`].
    Styled {
        /// The choices.
        choices: &'static [Choice],
        /// Qualtrics selector.
        selector: &'static str,
    },
    /// Slider (`Slider`/`HSLIDER`, `HBAR` bars or `STAR` stars); one row per `Choices`
    /// entry, exported as `QIDn_<row>` = a number with `decimals` decimals.
    Slider {
        /// The bars (statements).
        rows: &'static [Choice],
        /// `HSLIDER`, `HBAR` or `STAR`.
        selector: &'static str,
        /// Lowest value.
        min: i64,
        /// Highest value.
        max: i64,
        /// Decimals of the answers.
        decimals: u8,
    },
    /// Constant sum (`CS`/`VRTL`): numbers per row adding up to `total`, `QIDn_<row>`.
    ConstantSum {
        /// The items.
        rows: &'static [Choice],
        /// What the rows add up to.
        total: i64,
    },
    /// Rank order (`RO`/`DND`): rank 1..n of each item, `QIDn_<item>`.
    RankOrder(&'static [Choice]),
    /// Form of text fields (`TE`/`FORM`): `QIDn_<field>_TEXT`.
    Form(&'static [Choice]),
    /// Form whose question-level content validation is `ValidNumber` (whole numbers
    /// 0-500): every field is typed as a number, exported as text in `QIDn_<field>_TEXT`.
    NumberForm(&'static [Choice]),
    /// Side by side (`SBS`/`SBSMatrix`): the same rows answered in several columns, each a
    /// matrix of its own; exports `QIDn#<col>_<row>` (a recode number, or an array of recode
    /// strings for a multiple-answer column).
    SideBySide {
        /// The rows (statements).
        rows: &'static [Choice],
        /// The columns.
        columns: &'static [SbsColumn],
    },
    /// Drill-down (`DD`/`DL`): one dropdown per level, `QIDn_<level>` = the chosen answer's
    /// recode; an answer's parent is given in `parents` (answers without one are level 1).
    DrillDown {
        /// The levels (definitions' `Choices`).
        levels: &'static [Choice],
        /// Every option of every level (definitions' `Answers`).
        options: &'static [Choice],
        /// `(option id, parent option id)`.
        parents: &'static [(&'static str, &'static str)],
    },
}

/// One column of a side-by-side question.
#[derive(Debug, Clone, Copy)]
pub struct SbsColumn {
    /// Column header.
    pub text: &'static str,
    /// The column's scale.
    pub answers: &'static [Choice],
    /// `MultipleAnswer` instead of `SingleAnswer`.
    pub multi: bool,
}

/// One question of a survey.
#[derive(Debug, Clone, Copy)]
pub struct Question {
    /// `QIDn`.
    pub qid: &'static str,
    /// `DataExportTag` / CSV column base, e.g. `Q1`.
    pub tag: &'static str,
    /// Question wording.
    pub text: &'static str,
    /// Kind and choices.
    pub kind: QuestionKind,
}

/// The NPS scale 0..=10 as choices (recode = score).
pub const NPS_CHOICES: [Choice; 11] = [
    Choice::new("0", "0"),
    Choice::new("1", "1"),
    Choice::new("2", "2"),
    Choice::new("3", "3"),
    Choice::new("4", "4"),
    Choice::new("5", "5"),
    Choice::new("6", "6"),
    Choice::new("7", "7"),
    Choice::new("8", "8"),
    Choice::new("9", "9"),
    Choice::new("10", "10"),
];

impl Question {
    /// Qualtrics `(type, selector, subSelector)` triple.
    pub fn type_triple(&self) -> (&'static str, &'static str, Option<&'static str>) {
        match self.kind {
            QuestionKind::Nps => ("MC", "NPS", None),
            QuestionKind::Single(_) => ("MC", "SAVR", Some("TX")),
            QuestionKind::Multi(_) => ("MC", "MAVR", Some("TX")),
            QuestionKind::Matrix {
                selector, multi, ..
            } => (
                "Matrix",
                selector,
                Some(if multi {
                    "MultipleAnswer"
                } else {
                    "SingleAnswer"
                }),
            ),
            QuestionKind::Text => ("TE", "ML", None),
            QuestionKind::NumberEntry { .. } => ("TE", "SL", None),
            QuestionKind::Styled { selector, .. } => ("MC", selector, Some("TX")),
            QuestionKind::Slider { selector, .. } => ("Slider", selector, None),
            QuestionKind::ConstantSum { .. } => ("CS", "VRTL", None),
            QuestionKind::RankOrder(_) => ("RO", "DND", Some("TX")),
            QuestionKind::Form(_) | QuestionKind::NumberForm(_) => ("TE", "FORM", None),
            QuestionKind::DrillDown { .. } => ("DD", "DL", None),
            QuestionKind::SideBySide { .. } => ("SBS", "SBSMatrix", None),
        }
    }

    /// The answer choices (scale for matrices, options for drill-downs, 0..10 for NPS, none
    /// for text and for rows answered with numbers).
    pub fn choices(&self) -> &'static [Choice] {
        match self.kind {
            QuestionKind::Nps => &NPS_CHOICES,
            QuestionKind::Single(c) | QuestionKind::Multi(c) => c,
            QuestionKind::Styled { choices, .. } => choices,
            QuestionKind::Matrix { scale, .. } => scale,
            QuestionKind::DrillDown { options, .. } => options,
            QuestionKind::Text
            | QuestionKind::NumberEntry { .. }
            | QuestionKind::SideBySide { .. }
            | QuestionKind::Slider { .. }
            | QuestionKind::ConstantSum { .. }
            | QuestionKind::RankOrder(_)
            | QuestionKind::Form(_)
            | QuestionKind::NumberForm(_) => &[],
        }
    }

    /// The rows, exported one field each (`QIDn_<row>`): matrix statements, slider bars,
    /// constant-sum and rank-order items, form fields, drill-down levels.
    pub fn rows(&self) -> &'static [Choice] {
        match self.kind {
            QuestionKind::Matrix { rows, .. }
            | QuestionKind::Slider { rows, .. }
            | QuestionKind::ConstantSum { rows, .. }
            | QuestionKind::SideBySide { rows, .. } => rows,
            QuestionKind::RankOrder(rows)
            | QuestionKind::Form(rows)
            | QuestionKind::NumberForm(rows) => rows,
            QuestionKind::DrillDown { levels, .. } => levels,
            _ => &[],
        }
    }

    /// Whether several choices can be picked (multi-select, multiple-answer matrix).
    pub fn is_multi(&self) -> bool {
        match self.kind {
            QuestionKind::Multi(_) => true,
            QuestionKind::Styled { selector, .. } => matches!(selector, "MAVR" | "MAHR" | "MSB"),
            QuestionKind::Matrix { multi, .. } => multi,
            _ => false,
        }
    }

    /// Look a choice up by id.
    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.choices().iter().find(|c| c.id == id)
    }
}

/// A saved response filter: a deterministic predicate over a generated response.
#[derive(Debug, Clone, Copy)]
pub struct FilterSpec {
    /// Filter id (as in `GET /surveys/{id}/filters`).
    pub id: &'static str,
    /// Human name.
    pub name: &'static str,
    /// Creation date (ISO-8601).
    pub created: &'static str,
    /// What the filter keeps.
    pub rule: FilterRule,
}

/// The predicate of a [`FilterSpec`].
#[derive(Debug, Clone, Copy)]
pub enum FilterRule {
    /// NPS answer of the question is 9 or 10.
    Promoters(&'static str),
    /// Embedded data field equals the value.
    Embedded(&'static str, &'static str),
    /// Single-choice question answered with the choice id.
    Chose(&'static str, &'static str),
}

/// A seeded survey.
#[derive(Debug, Clone, Copy)]
pub struct SurveySpec {
    /// `SV_...` id.
    pub id: &'static str,
    /// Survey name (also the export file member name).
    pub name: &'static str,
    /// Creation date (ISO-8601, seconds).
    pub created: &'static str,
    /// Last modification date.
    pub modified: &'static str,
    /// Questions in survey order.
    pub questions: &'static [Question],
    /// Embedded data field names, in export order.
    pub embedded: &'static [&'static str],
    /// Saved filters.
    pub filters: &'static [FilterSpec],
    /// Number of seeded responses, or `None` to use `SimConfig::responses`.
    pub fixed_responses: Option<u64>,
    /// Which answer model the generator uses.
    pub model: AnswerModel,
    /// Whether the definition uses the QSF-era shapes: NPS `Choices` as a JSON list (PHP's
    /// encoding of keys 0..10) and "exclude from analysis" as the question's
    /// `AnalyzeChoices` (`"No"`) rather than the choice's `ExcludeFromAnalysis`.
    pub qsf_shapes: bool,
}

/// Selects the survey-specific answer model in the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerModel {
    /// Onboarding Experience.
    Onboarding,
    /// Support Satisfaction.
    Support,
    /// Website Pulse.
    Website,
    /// Question Types: every question type, answered independently.
    QuestionTypes,
    /// No responses at all.
    Empty,
}

impl SurveySpec {
    /// Look a question up by QID.
    pub fn question(&self, qid: &str) -> Option<&'static Question> {
        self.questions.iter().find(|q| q.qid == qid)
    }
}
