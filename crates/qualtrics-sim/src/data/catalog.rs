//! The seeded world: users, tokens, OAuth client, surveys, questions and filters.
//!
//! Contract: every identifier other crates' tests may refer to is a `pub const`
//! here and never changes between runs. Survey content is static; only the
//! responses are generated (see [`crate::generate`]).
//!
//! Not-analysed choices: the Onboarding CSAT question has a "Don't know" choice
//! (id `6`, recode `99`). The legacy view marks it `"analyze": false`; the
//! survey definition marks it with `"ExcludeFromAnalysis": true` on the choice
//! (the key is absent on analysed choices).

use super::model::{
    AnswerModel, Choice, FilterRule, FilterSpec, Question, QuestionKind, SurveySpec,
};
use super::types_survey::TYPES_SURVEY;

/// Main API token (40 chars); its user sees every survey.
pub const API_TOKEN: &str = "vj7FAc9QeWJKY40uvSwMFLZDe1f8rESQedUStPKR";
/// A valid API token whose user owns no surveys.
pub const NO_SURVEYS_TOKEN: &str = "0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3J";
/// OAuth client id of the main user.
pub const OAUTH_CLIENT_ID: &str = "5f0c2b8e9d4a4e7b8c1d2e3f4a5b6c7d";
/// OAuth client secret of the main user.
pub const OAUTH_CLIENT_SECRET: &str = "rTAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8NPR";

/// Brand (organization) id of the simulated account.
pub const BRAND_ID: &str = "pulsemapdemo";
/// User id of the main user.
pub const MAIN_USER_ID: &str = "UR_mxgJTeKdNnFRIBX";
/// User id of the user without surveys.
pub const NO_SURVEYS_USER_ID: &str = "UR_uDL7DxtpYlSXpfK";

/// "Onboarding Experience" survey (main survey, `SimConfig::responses` responses).
pub const ONBOARDING_SURVEY_ID: &str = "SV_u8jzPde0IgxLd6G";
/// "Support Satisfaction" survey (400 responses).
pub const SUPPORT_SURVEY_ID: &str = "SV_ncfBAepfJBd0Kh8";
/// "Website Pulse" survey (150 responses).
pub const WEBSITE_SURVEY_ID: &str = "SV_oOOL8dKLzdocJ2i";
/// "Empty Survey" (no responses).
pub const EMPTY_SURVEY_ID: &str = "SV_sAjIhKtJ0RlgLKO";

/// Onboarding: NPS 0-10 (exports `QID1` and `QID1_NPS_GROUP`).
pub const ONBOARDING_NPS_QID: &str = "QID1";
/// Onboarding: CSAT 1-5 plus "Don't know" (recode 99, not analysed).
pub const ONBOARDING_CSAT_QID: &str = "QID2";
/// Onboarding: CES 1-7.
pub const ONBOARDING_CES_QID: &str = "QID3";
/// Onboarding: "Which plan are you on?" (1 Basic, 2 Pro, 3 Enterprise).
pub const ONBOARDING_PLAN_QID: &str = "QID4";
/// Onboarding: "Which features do you use?" (multi-select).
pub const ONBOARDING_FEATURES_QID: &str = "QID5";
/// Onboarding: Likert matrix, rows 1 Speed, 2 Reliability, 3 Support; scale 1-5.
pub const ONBOARDING_MATRIX_QID: &str = "QID6";
/// Onboarding: free text "Anything else?" (exports `QID7_TEXT`).
pub const ONBOARDING_TEXT_QID: &str = "QID7";
/// Recode of the not-analysed "Don't know" CSAT choice.
pub const ONBOARDING_CSAT_DONT_KNOW_RECODE: i64 = 99;

/// Support: CSAT 1-5.
pub const SUPPORT_CSAT_QID: &str = "QID1";
/// Support: CES 1-7.
pub const SUPPORT_CES_QID: &str = "QID2";
/// Support: contact channel (1 Chat, 2 Email, 3 Phone).
pub const SUPPORT_CHANNEL_QID: &str = "QID3";
/// Support: free text.
pub const SUPPORT_TEXT_QID: &str = "QID4";

/// Website: NPS 0-10.
pub const WEBSITE_NPS_QID: &str = "QID1";
/// Website: purpose of visit (1 Browse, 2 Buy, 3 Get support).
pub const WEBSITE_PURPOSE_QID: &str = "QID2";

/// Onboarding filter "Promoters only" (NPS 9-10).
pub const FILTER_PROMOTERS_ID: &str = "6a1f2b3c-4d5e-4f60-8a7b-1c2d3e4f5a60";
/// Onboarding filter "Region = EMEA".
pub const FILTER_EMEA_ID: &str = "7b2e3c4d-5e6f-4071-9b8c-2d3e4f5a6b71";
/// Onboarding filter "Enterprise plan".
pub const FILTER_ENTERPRISE_ID: &str = "8c3f4d5e-6f70-4182-ac9d-3e4f5a6b7c82";
/// Support filter "Phone contacts".
pub const FILTER_SUPPORT_PHONE_ID: &str = "9d405e6f-7081-4293-bdae-4f5a6b7c8d93";

/// Number of responses seeded for the Support survey.
pub const SUPPORT_RESPONSES: u64 = 400;
/// Number of responses seeded for the Website survey.
pub const WEBSITE_RESPONSES: u64 = 150;

/// Regions used as embedded data.
pub const REGIONS: [&str; 3] = ["EMEA", "AMER", "APAC"];
/// Onboarding `Channel` embedded data values.
pub const CHANNELS: [&str; 3] = ["Web", "Mobile", "Sales-assisted"];

const CSAT_CHOICES: [Choice; 6] = [
    Choice::new("1", "Very dissatisfied"),
    Choice::new("2", "Dissatisfied"),
    Choice::new("3", "Neither satisfied nor dissatisfied"),
    Choice::new("4", "Satisfied"),
    Choice::new("5", "Very satisfied"),
    Choice::not_analysed("6", "99", "Don't know"),
];
const CSAT5_CHOICES: [Choice; 5] = [
    Choice::new("1", "Very dissatisfied"),
    Choice::new("2", "Dissatisfied"),
    Choice::new("3", "Neither satisfied nor dissatisfied"),
    Choice::new("4", "Satisfied"),
    Choice::new("5", "Very satisfied"),
];
const CES_CHOICES: [Choice; 7] = [
    Choice::new("1", "Strongly disagree"),
    Choice::new("2", "Disagree"),
    Choice::new("3", "Somewhat disagree"),
    Choice::new("4", "Neither agree nor disagree"),
    Choice::new("5", "Somewhat agree"),
    Choice::new("6", "Agree"),
    Choice::new("7", "Strongly agree"),
];
const PLAN_CHOICES: [Choice; 3] = [
    Choice::new("1", "Basic"),
    Choice::new("2", "Pro"),
    Choice::new("3", "Enterprise"),
];
const FEATURE_CHOICES: [Choice; 5] = [
    Choice::new("1", "Dashboards"),
    Choice::new("2", "Alerts"),
    Choice::new("3", "Integrations"),
    Choice::new("4", "API access"),
    Choice::new("5", "Scheduled reports"),
];
const MATRIX_ROWS: [Choice; 3] = [
    Choice::new("1", "Speed"),
    Choice::new("2", "Reliability"),
    Choice::new("3", "Support"),
];
const MATRIX_SCALE: [Choice; 5] = [
    Choice::new("1", "Very poor"),
    Choice::new("2", "Poor"),
    Choice::new("3", "Fair"),
    Choice::new("4", "Good"),
    Choice::new("5", "Excellent"),
];
const SUPPORT_CHANNEL_CHOICES: [Choice; 3] = [
    Choice::new("1", "Chat"),
    Choice::new("2", "Email"),
    Choice::new("3", "Phone"),
];
const PURPOSE_CHOICES: [Choice; 3] = [
    Choice::new("1", "Browse"),
    Choice::new("2", "Buy"),
    Choice::new("3", "Get support"),
];

const ONBOARDING_QUESTIONS: [Question; 7] = [
    Question {
        qid: ONBOARDING_NPS_QID,
        tag: "Q1",
        text: "How likely are you to recommend Pulsemap to a friend or colleague?",
        kind: QuestionKind::Nps,
    },
    Question {
        qid: ONBOARDING_CSAT_QID,
        tag: "Q2",
        text: "Overall, how satisfied are you with your onboarding experience?",
        kind: QuestionKind::Single(&CSAT_CHOICES),
    },
    Question {
        qid: ONBOARDING_CES_QID,
        tag: "Q3",
        text: "The company made it easy for me to get started.",
        kind: QuestionKind::Single(&CES_CHOICES),
    },
    Question {
        qid: ONBOARDING_PLAN_QID,
        tag: "Q4",
        text: "Which plan are you on?",
        kind: QuestionKind::Single(&PLAN_CHOICES),
    },
    Question {
        qid: ONBOARDING_FEATURES_QID,
        tag: "Q5",
        text: "Which features do you use?",
        kind: QuestionKind::Multi(&FEATURE_CHOICES),
    },
    Question {
        qid: ONBOARDING_MATRIX_QID,
        tag: "Q6",
        text: "How would you rate us on the following?",
        kind: QuestionKind::Matrix {
            rows: &MATRIX_ROWS,
            scale: &MATRIX_SCALE,
            selector: "Likert",
            multi: false,
        },
    },
    Question {
        qid: ONBOARDING_TEXT_QID,
        tag: "Q7",
        text: "Anything else?",
        kind: QuestionKind::Text,
    },
];

const SUPPORT_QUESTIONS: [Question; 4] = [
    Question {
        qid: SUPPORT_CSAT_QID,
        tag: "Q1",
        text: "How satisfied are you with the support you received?",
        kind: QuestionKind::Single(&CSAT5_CHOICES),
    },
    Question {
        qid: SUPPORT_CES_QID,
        tag: "Q2",
        text: "The support team made it easy to resolve my issue.",
        kind: QuestionKind::Single(&CES_CHOICES),
    },
    Question {
        qid: SUPPORT_CHANNEL_QID,
        tag: "Q3",
        text: "How did you contact support?",
        kind: QuestionKind::Single(&SUPPORT_CHANNEL_CHOICES),
    },
    Question {
        qid: SUPPORT_TEXT_QID,
        tag: "Q4",
        text: "How could we improve?",
        kind: QuestionKind::Text,
    },
];

const WEBSITE_QUESTIONS: [Question; 2] = [
    Question {
        qid: WEBSITE_NPS_QID,
        tag: "Q1",
        text: "How likely are you to recommend our website to a friend?",
        kind: QuestionKind::Nps,
    },
    Question {
        qid: WEBSITE_PURPOSE_QID,
        tag: "Q2",
        text: "What was the main purpose of your visit?",
        kind: QuestionKind::Single(&PURPOSE_CHOICES),
    },
];

const EMPTY_QUESTIONS: [Question; 1] = [Question {
    qid: "QID1",
    tag: "Q1",
    text: "How likely are you to recommend us?",
    kind: QuestionKind::Nps,
}];

const ONBOARDING_FILTERS: [FilterSpec; 3] = [
    FilterSpec {
        id: FILTER_PROMOTERS_ID,
        name: "Promoters only",
        created: "2025-03-04T10:12:44Z",
        rule: FilterRule::Promoters(ONBOARDING_NPS_QID),
    },
    FilterSpec {
        id: FILTER_EMEA_ID,
        name: "Region = EMEA",
        created: "2025-03-04T10:15:02Z",
        rule: FilterRule::Embedded("Region", "EMEA"),
    },
    FilterSpec {
        id: FILTER_ENTERPRISE_ID,
        name: "Enterprise plan",
        created: "2025-05-19T08:41:37Z",
        rule: FilterRule::Chose(ONBOARDING_PLAN_QID, "3"),
    },
];

const SUPPORT_FILTERS: [FilterSpec; 1] = [FilterSpec {
    id: FILTER_SUPPORT_PHONE_ID,
    name: "Phone contacts",
    created: "2025-06-02T14:03:11Z",
    rule: FilterRule::Chose(SUPPORT_CHANNEL_QID, "3"),
}];

/// All seeded surveys, in listing order.
pub const SURVEYS: [SurveySpec; 5] = [
    SurveySpec {
        id: ONBOARDING_SURVEY_ID,
        name: "Onboarding Experience",
        created: "2024-02-12T09:30:00Z",
        modified: "2025-05-19T08:41:37Z",
        questions: &ONBOARDING_QUESTIONS,
        embedded: &[
            "Region",
            "Channel",
            "FirstName",
            "LastName",
            "Email",
            "Phone",
        ],
        filters: &ONBOARDING_FILTERS,
        fixed_responses: None,
        model: AnswerModel::Onboarding,
        qsf_shapes: false,
    },
    SurveySpec {
        id: SUPPORT_SURVEY_ID,
        name: "Support Satisfaction",
        created: "2024-03-01T13:05:10Z",
        modified: "2025-06-02T14:03:11Z",
        questions: &SUPPORT_QUESTIONS,
        embedded: &["Region"],
        filters: &SUPPORT_FILTERS,
        fixed_responses: Some(SUPPORT_RESPONSES),
        model: AnswerModel::Support,
        qsf_shapes: false,
    },
    SurveySpec {
        id: WEBSITE_SURVEY_ID,
        name: "Website Pulse",
        created: "2024-04-22T16:45:51Z",
        modified: "2024-11-08T11:20:00Z",
        questions: &WEBSITE_QUESTIONS,
        embedded: &[],
        filters: &[],
        fixed_responses: Some(WEBSITE_RESPONSES),
        model: AnswerModel::Website,
        qsf_shapes: false,
    },
    SurveySpec {
        id: EMPTY_SURVEY_ID,
        name: "Empty Survey",
        created: "2025-01-15T12:00:00Z",
        modified: "2025-01-15T12:00:00Z",
        questions: &EMPTY_QUESTIONS,
        embedded: &[],
        filters: &[],
        fixed_responses: Some(0),
        model: AnswerModel::Empty,
        qsf_shapes: false,
    },
    TYPES_SURVEY,
];

/// Find a seeded survey by id.
pub fn survey(id: &str) -> Option<&'static SurveySpec> {
    SURVEYS.iter().find(|s| s.id == id)
}

/// A simulated account holder.
#[derive(Debug, Clone, Copy)]
pub struct UserSpec {
    /// `UR_...` id.
    pub id: &'static str,
    /// `user#brand` login.
    pub user_name: &'static str,
    /// First name.
    pub first_name: &'static str,
    /// Last name.
    pub last_name: &'static str,
    /// E-mail.
    pub email: &'static str,
    /// Account type, e.g. `UT_BRANDADMIN`.
    pub account_type: &'static str,
    /// Whether the user sees the seeded surveys.
    pub sees_surveys: bool,
}

/// The main user (owner of all surveys).
pub const MAIN_USER: UserSpec = UserSpec {
    id: MAIN_USER_ID,
    user_name: "jane.doe@pulsemap.example#pulsemapdemo",
    first_name: "Jane",
    last_name: "Doe",
    email: "jane.doe@pulsemap.example",
    account_type: "UT_BRANDADMIN",
    sees_surveys: true,
};

/// The user who sees no surveys.
pub const NO_SURVEYS_USER: UserSpec = UserSpec {
    id: NO_SURVEYS_USER_ID,
    user_name: "sam.lee@pulsemap.example#pulsemapdemo",
    first_name: "Sam",
    last_name: "Lee",
    email: "sam.lee@pulsemap.example",
    account_type: "UT_PARTICIPANT",
    sees_surveys: false,
};

/// Resolve an API token to its user (ignores faults such as revocation).
pub fn user_for_api_token(token: &str) -> Option<&'static UserSpec> {
    match token {
        API_TOKEN => Some(&MAIN_USER),
        NO_SURVEYS_TOKEN => Some(&NO_SURVEYS_USER),
        _ => None,
    }
}
