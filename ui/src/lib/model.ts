/**
 * Small readers over the wire types, so components never depend on their exact shape.
 *
 * Contract: pure; if a ts-rs binding changes its representation only this file (and
 * `ipc/types.ts`) changes.
 */
import type {
  CardView,
  GroupBy,
  MapView,
  MetricCardConfig,
  MetricProblem,
  QuestionInfo,
  RefreshPhase,
  RefreshProgress,
} from "../ipc";
import { formatCount, formatBytes } from "./format";

export function cardText(view: CardView): string | null {
  return view.card.content.kind === "text" ? view.card.content.text : null;
}

export function cardConfig(view: CardView): MetricCardConfig | null {
  return view.card.content.kind === "metric" ? view.card.content.config : null;
}

/** Cards of one cell, in position order. */
export function cellCards(map: MapView, stageId: string, laneId: string): CardView[] {
  return map.cards
    .filter((c) => c.card.stageId === stageId && c.card.laneId === laneId)
    .sort((a, b) => a.card.position - b.card.position);
}

export function byPosition<T extends { position: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.position - b.position);
}

/** Survey ids used by the metric cards of a map. */
export function mapSurveyIds(map: MapView): string[] {
  const ids = new Set<string>();
  for (const c of map.cards) {
    const cfg = cardConfig(c);
    if (cfg) ids.add(cfg.surveyId);
  }
  return [...ids];
}

export function isEmbeddedField(q: QuestionInfo): boolean {
  return q.kind === "field" || q.questionType === "EmbeddedData" || q.questionType === "Field";
}

export function groupByLabel(g: GroupBy): string {
  switch (g.kind) {
    case "none":
      return "None";
    case "question":
      return `Question ${g.questionId}`;
    case "field":
      return `Field ${g.name}`;
    case "time":
      return `Time (${g.bucket})`;
  }
}

/**
 * Title and guidance of a card problem. In a read-only workshop pack (`frozen`) the values were
 * computed on the designer's install and nothing here edits or refreshes them, so the guidance
 * says what the pack holds and how to get an editable copy instead of "Edit the card".
 */
export function problemText(p: MetricProblem, frozen = false): { title: string; guidance: string } {
  const t = problemTextLive(p);
  // "Some answers left out" explains the value rather than asking for an edit: it holds as is.
  if (!frozen || p.kind === "skippedAnswers") return t;
  return {
    title: t.title,
    guidance:
      'This is how the card stood when the pack was exported; a pack is not refreshed. Ask its designer, or use "Duplicate to edit" to fix the card in a copy.',
  };
}

function problemTextLive(p: MetricProblem): { title: string; guidance: string } {
  switch (p.kind) {
    case "surveyDeleted":
      return {
        title: "Survey no longer available",
        guidance:
          "The survey was deleted in Qualtrics or is no longer shared with this token. Pick another survey or share it again.",
      };
    case "questionDeleted":
      return {
        title: "Question removed from the survey",
        guidance: "Edit the card and choose a question that still exists.",
      };
    case "noData":
      return {
        title: "No responses yet",
        guidance: "Nobody has answered this question so far. The value appears after the next refresh with data.",
      };
    case "groupQuestionDeleted":
      return {
        title: "Group by question removed",
        guidance: "The question this card groups by no longer exists. Edit the card and pick another grouping.",
      };
    case "notApplicable":
      return {
        title: "Calculation does not fit",
        guidance: p.message || "This calculation does not apply to the question. Edit the card and pick another calculation.",
      };
    case "skippedAnswers":
      return {
        title: "Some answers left out",
        guidance: p.message || "Some answers are not numbers, so the value leaves them out.",
      };
  }
}

export function phaseText(phase: RefreshPhase): string {
  switch (phase.phase) {
    case "listing":
      return "checking surveys";
    case "exporting":
      return `exporting ${Math.round(phase.percent)}%`;
    case "downloading":
      return `downloading ${formatBytes(phase.bytes)}`;
    case "importing":
      return `importing ${formatCount(phase.rows)} rows`;
    case "computing":
      return "computing values";
    case "done":
      return "done";
  }
}

/** Percent for a progress bar (undefined when the phase has no measurable progress). */
export function phasePercent(phase: RefreshPhase): number | undefined {
  if (phase.phase === "exporting") return Math.max(0, Math.min(100, phase.percent));
  if (phase.phase === "done") return 100;
  return undefined;
}

/** "Refreshing <survey name> — exporting 42%". */
export function progressText(p: RefreshProgress, surveyName: string): string {
  return `Refreshing ${surveyName} — ${phaseText(p.phase)}`;
}
