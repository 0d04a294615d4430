/**
 * One card in a cell: a text card (inline-editable) or a metric card face, with its actions
 * menu (Edit, Move to…, Delete) and HTML5 dragging.
 */
import { useState } from "react";
import { Menu } from "../components/Menu";
import { ConfirmDialog } from "../components/Modal";
import type { CardView, MetricCardConfig, RefreshProgress } from "../ipc";
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
        <MetricCardFace view={props.view} config={config} progress={props.progress} menu={menu} large={props.large} />
      ) : editing ? (
        <TextCardEditor
          initial={text ?? ""}
          onSave={(t) => {
            setEditing(false);
            if (t !== text) props.onSaveText?.(t);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <article
          className={`card card--text${props.large ? " card--large" : ""}`}
          data-testid="text-card"
          onDoubleClick={() => !props.readOnly && setEditing(true)}
        >
          <p className="card__text">{text}</p>
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
