//! The "Question Types" survey: one question of every type a metric can use.
//!
//! Contract: ids are `pub const` and stable. The definition uses the QSF-era shapes
//! (`qsf_shapes`): the NPS question's `Choices` is a JSON list 0..10 and "exclude from
//! analysis" is the question's `AnalyzeChoices` `"No"`. Recodes differ from choice ids where
//! real surveys do it: negative values (QID16 -2..2), reverse coding (QID14 5..1) and
//! out-of-scale codes for "Don't know" / "N/A" (99, -1) that are excluded from analysis.
//! Export keys per type and their sources are listed in docs/QUALTRICS.md.

use super::model::{AnswerModel, Choice, Question, QuestionKind, SbsColumn, SurveySpec};

/// "Question Types" survey (300 responses).
pub const TYPES_SURVEY_ID: &str = "SV_0dQ7hRk2tYxU3cW";
/// Number of responses seeded for it.
pub const TYPES_RESPONSES: u64 = 300;

/// NPS 0-10 whose definition lists `Choices` as a JSON array.
pub const TYPES_NPS_QID: &str = "QID1";
/// Horizontal slider, one bar, 0-100 with one decimal (`QID2_1`).
pub const TYPES_SLIDER_QID: &str = "QID2";
/// Star slider, two rows, 1-5 (`QID3_1`, `QID3_2`).
pub const TYPES_STARS_QID: &str = "QID3";
/// Bar slider, one bar, 0-10 (`QID4_1`).
pub const TYPES_BARS_QID: &str = "QID4";
/// Constant sum of 100 over three items (`QID5_1..3`).
pub const TYPES_CONSTANT_SUM_QID: &str = "QID5";
/// Rank order of four items (`QID6_1..4` = ranks).
pub const TYPES_RANK_QID: &str = "QID6";
/// Single-line text entry (`QID7_TEXT`).
pub const TYPES_TEXT_QID: &str = "QID7";
/// Form of three text fields (`QID8_1_TEXT`..).
pub const TYPES_FORM_QID: &str = "QID8";
/// Single answer, horizontal (`SAHR`), choices 1 Small, 2 Medium, 3 Large.
pub const TYPES_HORIZONTAL_QID: &str = "QID9";
/// Dropdown list (`DL`), 1 Web, 2 iOS, 3 Android.
pub const TYPES_DROPDOWN_QID: &str = "QID10";
/// Select box (`SB`), 1-4 usage frequency.
pub const TYPES_SELECT_BOX_QID: &str = "QID11";
/// Multi select box (`MSB`).
pub const TYPES_MULTI_BOX_QID: &str = "QID12";
/// Multiple answer, horizontal (`MAHR`).
pub const TYPES_MULTI_HORIZONTAL_QID: &str = "QID13";
/// Bipolar matrix, reverse-coded (answer 1 → 5 … 5 → 1), an N/A column (recode -1, not
/// analysed); rows 1 Price, 2 Quality.
pub const TYPES_BIPOLAR_QID: &str = "QID14";
/// Likert matrix, multiple answer; rows 1 Morning, 2 Evening; columns 1 Web, 2 App.
pub const TYPES_MATRIX_MULTI_QID: &str = "QID15";
/// Single answer with negative recodes -2..2 and "Don't know" (recode 99, not analysed).
pub const TYPES_NEGATIVE_QID: &str = "QID16";
/// Drill-down Country → City (`QID17_1`, `QID17_2`).
pub const TYPES_DRILL_QID: &str = "QID17";
/// Likert matrix 1-5 with an N/A column (id 6, recode 6, not analysed — marked only in the
/// legacy view, as in recorded definitions that carry no exclusion mark); rows 1 Setup,
/// 2 Docs.
pub const TYPES_MATRIX_NA_QID: &str = "QID18";

/// Numeric text entry (`TE`/`SL`, `ContentType` `ValidNumber` 0-60, one decimal): hours a
/// week, exported as text in `QID20_TEXT`.
pub const TYPES_NUMBER_ENTRY_QID: &str = "QID20";

/// Form of whole numbers (`TE`/`FORM`, `ContentType` `ValidNumber` 0-500): fields 1 Seats,
/// 2 Projects, exported as text in `QID21_1_TEXT`, `QID21_2_TEXT`.
pub const TYPES_NUMBER_FORM_QID: &str = "QID21";

/// Side by side: rows 1 Billing, 2 Support; column 1 "Satisfaction" 1-5 (single answer,
/// `QID19#1_<row>`), column 2 "Channels used" Web/App (multiple answer, `QID19#2_<row>`).
pub const TYPES_SIDE_BY_SIDE_QID: &str = "QID19";

const SBS_ROWS: [Choice; 2] = [Choice::new("1", "Billing"), Choice::new("2", "Support")];
const SBS_COLUMNS: [SbsColumn; 2] = [
    SbsColumn {
        text: "Satisfaction",
        answers: &NA_SCALE_ANALYSED,
        multi: false,
    },
    SbsColumn {
        text: "Channels used",
        answers: &CHANNEL_COLUMNS,
        multi: true,
    },
];
const NA_SCALE_ANALYSED: [Choice; 5] = [
    Choice::new("1", "Very poor"),
    Choice::new("2", "Poor"),
    Choice::new("3", "Fair"),
    Choice::new("4", "Good"),
    Choice::new("5", "Excellent"),
];

const SLIDER_ROW: [Choice; 1] = [Choice::new("1", "Satisfaction")];
const STAR_ROWS: [Choice; 2] = [Choice::new("1", "Design"), Choice::new("2", "Speed")];
const BAR_ROW: [Choice; 1] = [Choice::new("1", "Likelihood to renew")];
const SUM_ROWS: [Choice; 3] = [
    Choice::new("1", "Price"),
    Choice::new("2", "Features"),
    Choice::new("3", "Support"),
];
const RANK_ITEMS: [Choice; 4] = [
    Choice::new("1", "Reports"),
    Choice::new("2", "Alerts"),
    Choice::new("3", "Exports"),
    Choice::new("4", "Sharing"),
];
const FORM_FIELDS: [Choice; 3] = [
    Choice::new("1", "Company"),
    Choice::new("2", "Team size"),
    Choice::new("3", "Role"),
];
const SIZES: [Choice; 3] = [
    Choice::new("1", "Small"),
    Choice::new("2", "Medium"),
    Choice::new("3", "Large"),
];
const PLATFORMS: [Choice; 3] = [
    Choice::new("1", "Web"),
    Choice::new("2", "iOS"),
    Choice::new("3", "Android"),
];
const FREQUENCY: [Choice; 4] = [
    Choice::new("1", "Rarely"),
    Choice::new("2", "Monthly"),
    Choice::new("3", "Weekly"),
    Choice::new("4", "Daily"),
];
const TOPICS: [Choice; 4] = [
    Choice::new("1", "Billing"),
    Choice::new("2", "Onboarding"),
    Choice::new("3", "Reporting"),
    Choice::new("4", "Integrations"),
];
const BIPOLAR_ROWS: [Choice; 2] = [Choice::new("1", "Price"), Choice::new("2", "Quality")];
/// Reverse-coded: the left-most answer (id 1, "Excellent") is worth 5.
const BIPOLAR_SCALE: [Choice; 6] = [
    Choice::recoded("1", "5", "Excellent"),
    Choice::recoded("2", "4", "Good"),
    Choice::recoded("3", "3", "Fair"),
    Choice::recoded("4", "2", "Poor"),
    Choice::recoded("5", "1", "Very poor"),
    Choice::not_analysed("6", "-1", "N/A"),
];
const TIME_ROWS: [Choice; 2] = [Choice::new("1", "Morning"), Choice::new("2", "Evening")];
const CHANNEL_COLUMNS: [Choice; 2] = [Choice::new("1", "Web"), Choice::new("2", "App")];
const AGREEMENT: [Choice; 6] = [
    Choice::recoded("1", "-2", "Strongly disagree"),
    Choice::recoded("2", "-1", "Disagree"),
    Choice::recoded("3", "0", "Neutral"),
    Choice::recoded("4", "1", "Agree"),
    Choice::recoded("5", "2", "Strongly agree"),
    Choice::not_analysed("6", "99", "Don't know"),
];
const DRILL_LEVELS: [Choice; 2] = [Choice::new("1", "Country"), Choice::new("2", "City")];
const DRILL_OPTIONS: [Choice; 6] = [
    Choice::new("1", "France"),
    Choice::new("2", "Paris"),
    Choice::new("3", "Lyon"),
    Choice::new("4", "Japan"),
    Choice::new("5", "Tokyo"),
    Choice::new("6", "Osaka"),
];
const DRILL_PARENTS: [(&str, &str); 4] = [("2", "1"), ("3", "1"), ("5", "4"), ("6", "4")];
const NA_ROWS: [Choice; 2] = [Choice::new("1", "Setup"), Choice::new("2", "Docs")];
const NA_SCALE: [Choice; 6] = [
    Choice::new("1", "Very poor"),
    Choice::new("2", "Poor"),
    Choice::new("3", "Fair"),
    Choice::new("4", "Good"),
    Choice::new("5", "Excellent"),
    Choice::not_analysed_legacy_only("6", "6", "N/A"),
];

const fn q(
    qid: &'static str,
    tag: &'static str,
    text: &'static str,
    kind: QuestionKind,
) -> Question {
    Question {
        qid,
        tag,
        text,
        kind,
    }
}

const NUMBER_FIELDS: [Choice; 2] = [Choice::new("1", "Seats"), Choice::new("2", "Projects")];

const QUESTIONS: [Question; 21] = [
    q(
        TYPES_NPS_QID,
        "Q1",
        "How likely are you to recommend us?",
        QuestionKind::Nps,
    ),
    q(
        TYPES_SLIDER_QID,
        "Q2",
        "How satisfied are you overall (0-100)?",
        QuestionKind::Slider {
            rows: &SLIDER_ROW,
            selector: "HSLIDER",
            min: 0,
            max: 100,
            decimals: 1,
        },
    ),
    q(
        TYPES_STARS_QID,
        "Q3",
        "Rate us with stars.",
        QuestionKind::Slider {
            rows: &STAR_ROWS,
            selector: "STAR",
            min: 1,
            max: 5,
            decimals: 0,
        },
    ),
    q(
        TYPES_BARS_QID,
        "Q4",
        "How likely are you to renew (0-10)?",
        QuestionKind::Slider {
            rows: &BAR_ROW,
            selector: "HBAR",
            min: 0,
            max: 10,
            decimals: 0,
        },
    ),
    q(
        TYPES_CONSTANT_SUM_QID,
        "Q5",
        "Split 100 points by importance.",
        QuestionKind::ConstantSum {
            rows: &SUM_ROWS,
            total: 100,
        },
    ),
    q(
        TYPES_RANK_QID,
        "Q6",
        "Rank these features.",
        QuestionKind::RankOrder(&RANK_ITEMS),
    ),
    q(
        TYPES_TEXT_QID,
        "Q7",
        "What should we improve?",
        QuestionKind::Text,
    ),
    q(
        TYPES_FORM_QID,
        "Q8",
        "About you",
        QuestionKind::Form(&FORM_FIELDS),
    ),
    q(
        TYPES_HORIZONTAL_QID,
        "Q9",
        "Company size?",
        QuestionKind::Styled {
            choices: &SIZES,
            selector: "SAHR",
        },
    ),
    q(
        TYPES_DROPDOWN_QID,
        "Q10",
        "Main platform?",
        QuestionKind::Styled {
            choices: &PLATFORMS,
            selector: "DL",
        },
    ),
    q(
        TYPES_SELECT_BOX_QID,
        "Q11",
        "How often do you use us?",
        QuestionKind::Styled {
            choices: &FREQUENCY,
            selector: "SB",
        },
    ),
    q(
        TYPES_MULTI_BOX_QID,
        "Q12",
        "Topics you contacted us about?",
        QuestionKind::Styled {
            choices: &TOPICS,
            selector: "MSB",
        },
    ),
    q(
        TYPES_MULTI_HORIZONTAL_QID,
        "Q13",
        "Platforms you use?",
        QuestionKind::Styled {
            choices: &PLATFORMS,
            selector: "MAHR",
        },
    ),
    q(
        TYPES_BIPOLAR_QID,
        "Q14",
        "How do you rate our...",
        QuestionKind::Matrix {
            rows: &BIPOLAR_ROWS,
            scale: &BIPOLAR_SCALE,
            selector: "Bipolar",
            multi: false,
        },
    ),
    q(
        TYPES_MATRIX_MULTI_QID,
        "Q15",
        "Where do you use us, and when?",
        QuestionKind::Matrix {
            rows: &TIME_ROWS,
            scale: &CHANNEL_COLUMNS,
            selector: "Likert",
            multi: true,
        },
    ),
    q(
        TYPES_NEGATIVE_QID,
        "Q16",
        "The product is worth its price.",
        QuestionKind::Single(&AGREEMENT),
    ),
    q(
        TYPES_DRILL_QID,
        "Q17",
        "Where are you based?",
        QuestionKind::DrillDown {
            levels: &DRILL_LEVELS,
            options: &DRILL_OPTIONS,
            parents: &DRILL_PARENTS,
        },
    ),
    q(
        TYPES_MATRIX_NA_QID,
        "Q18",
        "How good are our...",
        QuestionKind::Matrix {
            rows: &NA_ROWS,
            scale: &NA_SCALE,
            selector: "Likert",
            multi: false,
        },
    ),
    q(
        TYPES_SIDE_BY_SIDE_QID,
        "Q19",
        "Tell us about each team",
        QuestionKind::SideBySide {
            rows: &SBS_ROWS,
            columns: &SBS_COLUMNS,
        },
    ),
    q(
        TYPES_NUMBER_ENTRY_QID,
        "Q20",
        "How many hours a week do you use us?",
        QuestionKind::NumberEntry {
            min: 0,
            max: 60,
            decimals: 1,
        },
    ),
    q(
        TYPES_NUMBER_FORM_QID,
        "Q21",
        "How big is your team's setup?",
        QuestionKind::NumberForm(&NUMBER_FIELDS),
    ),
];

/// The survey.
pub const TYPES_SURVEY: SurveySpec = SurveySpec {
    id: TYPES_SURVEY_ID,
    name: "Question Types",
    created: "2025-02-03T10:00:00Z",
    modified: "2025-07-21T09:12:40Z",
    questions: &QUESTIONS,
    embedded: &["Region"],
    filters: &[],
    fixed_responses: Some(TYPES_RESPONSES),
    model: AnswerModel::QuestionTypes,
    qsf_shapes: true,
};
