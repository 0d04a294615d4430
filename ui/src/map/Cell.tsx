/** A grid cell (stage × lane): its cards in order, a drop zone, and "+ Add card" (text or metric). */
import { useRef, useState } from "react";
import { Menu } from "../components/Menu";
import type { CardView, Lane, MetricCardConfig, RefreshProgress, Stage } from "../ipc";
import { refocusIfLost } from "../lib/focus";
import { cardConfig } from "../lib/model";
import { CardItem } from "./CardItem";
import { TextCardEditor } from "./TextCardEditor";

export function Cell(props: {
  stage: Stage;
  lane: Lane;
  cards: CardView[];
  progress: Record<string, RefreshProgress>;
  dragging: { kind: string; id: string } | null;
  setDragging: (d: { kind: "card"; id: string } | null) => void;
  onDrop: (beforeCardId: string | null) => void;
  onAddText: (text: string) => void;
  onAddMetric: () => void;
  onSaveText: (cardId: string, text: string) => void;
  onEditMetric: (cardId: string, config: MetricCardConfig) => void;
  onMoveTo: (cardId: string) => void;
  onDelete: (cardId: string) => void;
  readOnly?: boolean;
}) {
  const [addingText, setAddingText] = useState(false);
  const [over, setOver] = useState(false);
  const self = useRef<HTMLDivElement>(null);
  /** When the new-card editor closes, focus goes back to this cell's "+ Add card". */
  const endAdding = () => {
    setAddingText(false);
    refocusIfLost(() => self.current?.querySelector<HTMLElement>("[data-testid=add-card]"));
  };
  const canDrop = !props.readOnly && props.dragging?.kind === "card";
  return (
    <div
      ref={self}
      className={`cell${over && canDrop ? " is-drop-target" : ""}`}
      role="group"
      aria-label={`${props.stage.name} / ${props.lane.name}`}
      data-testid="cell"
      data-stage-id={props.stage.id}
      data-lane-id={props.lane.id}
      onDragOver={(e) => {
        if (!canDrop) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node)) setOver(false);
      }}
      onDrop={(e) => {
        setOver(false);
        if (!canDrop) return;
        e.preventDefault();
        props.onDrop(null);
      }}
    >
      {props.cards.map((c) => {
        const cfg = cardConfig(c);
        return (
          <CardItem
            key={c.card.id}
            view={c}
            progress={cfg ? props.progress[cfg.surveyId] : undefined}
            readOnly={props.readOnly}
            canDropHere={canDrop && props.dragging?.id !== c.card.id}
            onDragStart={() => props.setDragging({ kind: "card", id: c.card.id })}
            onDragEnd={() => props.setDragging(null)}
            onDropBefore={() => props.onDrop(c.card.id)}
            onSaveText={(t) => props.onSaveText(c.card.id, t)}
            onEditMetric={(config) => props.onEditMetric(c.card.id, config)}
            onMoveTo={() => props.onMoveTo(c.card.id)}
            onDelete={() => props.onDelete(c.card.id)}
          />
        );
      })}
      {addingText && (
        <TextCardEditor
          initial=""
          onSave={(t) => {
            endAdding();
            props.onAddText(t);
          }}
          onCancel={endAdding}
        />
      )}
      {!addingText && !props.readOnly && (
        <Menu
          ariaLabel={`Add card to ${props.stage.name} / ${props.lane.name}`}
          label="+ Add card"
          align="left"
          buttonClassName="cell__add"
          testId="add-card"
          items={[
            { label: "Text card", testId: "add-text-card", onSelect: () => setAddingText(true) },
            { label: "Metric card", testId: "add-metric-card", onSelect: props.onAddMetric },
          ]}
        />
      )}
    </div>
  );
}
