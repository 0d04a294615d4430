/**
 * One card in a cell: a text card (inline-editable) or a metric card face, with its actions
 * menu (Edit, Move to…, Delete) and HTML5 dragging. A text card says how to edit it (hint on
 * hover/focus: double-click, or Enter when focused), long text is clamped behind "Show more",
 * and when its editor closes focus returns to the card.
 */
import { useRef, useState } from "react";
import { Menu } from "../components/Menu";
import { ConfirmDialog } from "../components/Modal";
import type { CardView, MetricCardConfig, RefreshProgress } from "../ipc";
import { refocusIfLost } from "../lib/focus";
import { cardConfig, cardText } from "../lib/model";
import { MetricCardFace } from "./MetricCardFace";
import { TextCardEditor } from "./TextCardEditor";

export function CardItem(props: {
  view: CardView;
  progress?: RefreshProgress;
  readOnly?: boolean;
  large?: boolean;
  onDragStart?: () => void;
  onDragEnd?: () => void;
  onDropBefore?: () => void;
  canDropHere?: boolean;
  onSaveText?: (text: string) => void;
  onEditMetric?: (config: MetricCardConfig) => void;
  onMoveTo?: () => void;
  onDelete?: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [over, setOver] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const textRef = useRef<HTMLElement>(null);
  const endEdit = () => {
    setEditing(false);
    refocusIfLost(() => textRef.current);
  };
  const config = cardConfig(props.view);
  const text = cardText(props.view);

  const menu = props.readOnly ? null : (
    <Menu
      ariaLabel="Card actions"
      label="⋯"
      buttonClassName="icon-button icon-button--small card__more"
      testId="card-actions"
      items={[
        {
          label: "Edit",
          testId: "card-edit",
          onSelect: () => (config ? props.onEditMetric?.(config) : setEditing(true)),
        },
        { label: "Move to…", testId: "card-move", onSelect: () => props.onMoveTo?.() },
        { label: "Delete", testId: "card-delete", danger: true, onSelect: () => setConfirm(true) },
      ]}
    />
  );

  return (
    <div
      className={`card-slot${over ? " is-drop-target" : ""}`}
      draggable={!props.readOnly && !editing}
      data-testid="card"
      data-card-id={props.view.card.id}
      onDragStart={(e) => {
        e.stopPropagation();
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", props.view.card.id);
        props.onDragStart?.();
      }}
      onDragEnd={() => props.onDragEnd?.()}
      onDragOver={(e) => {
        if (!props.canDropHere) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        if (!props.canDropHere) return;
        e.preventDefault();
        e.stopPropagation();
        props.onDropBefore?.();
      }}
    >
      {config ? (
        <MetricCardFace
          view={props.view}
          config={config}
          progress={props.progress}
          menu={menu}
          large={props.large}
          onBind={props.readOnly ? undefined : () => props.onEditMetric?.(config)}
        />
      ) : editing ? (
        <TextCardEditor
          initial={text ?? ""}
          onSave={(t) => {
            endEdit();
            if (t !== text) props.onSaveText?.(t);
          }}
          onCancel={endEdit}
        />
      ) : (
        <article
          ref={textRef}
          className={`card card--text${props.large ? " card--large" : ""}`}
          data-testid="text-card"
          tabIndex={props.readOnly ? undefined : 0}
          aria-label={props.readOnly ? undefined : "Text card. Press Enter to edit."}
          title={props.readOnly ? undefined : "Double-click to edit"}
          onDoubleClick={() => !props.readOnly && setEditing(true)}
          onKeyDown={(e) => {
            if (props.readOnly || e.target !== e.currentTarget) return;
            if (e.key === "Enter" || e.key === "F2") {
              e.preventDefault();
              setEditing(true);
            }
          }}
        >
          <div className="card__body">
            <p className={`card__text${isLong(text) && !expanded ? " card__text--clamped" : ""}`} data-testid="text-card-text">
              {text}
            </p>
            {isLong(text) && (
              <button
                type="button"
                className="link card__toggle"
                data-testid="text-card-toggle"
                aria-expanded={expanded}
                onClick={() => setExpanded((x) => !x)}
              >
                {expanded ? "Show less" : "Show more"}
              </button>
            )}
            {!props.readOnly && (
              <span className="card__hint" aria-hidden>
                Double-click or press Enter to edit
              </span>
            )}
          </div>
          {menu}
        </article>
      )}
      {confirm && (
        <ConfirmDialog
          title="Delete this card?"
          message={config ? `The metric card “${config.name}” will be removed from the map.` : "The text card will be removed from the map."}
          confirmLabel="Delete card"
          danger
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            props.onDelete?.();
          }}
        />
      )}
    </div>
  );
}

/** Text longer than about eight card lines is clamped (a 2,000-character note would otherwise
 *  push the whole lane down). */
export function isLong(text: string | null): boolean {
  if (!text) return false;
  return text.length > 320 || text.split("\n").length > 8;
}
