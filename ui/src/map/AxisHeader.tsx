/**
 * Header of a stage (column) or lane (row): inline rename, actions menu, HTML5 drag and drop,
 * and keyboard reordering (stages: Alt+ArrowLeft/Right, lanes: Alt+ArrowUp/Down). Renaming to
 * a name another header of the axis already has is allowed but warned about; leaving a rename
 * returns focus to the header. The name is a level-2 heading (cards are level 3).
 */
import { useRef, useState } from "react";
import { InlineEdit } from "../components/InlineEdit";
import { Menu } from "../components/Menu";
import { ConfirmDialog } from "../components/Modal";
import type { Stage } from "../ipc";
import { MOD_KEY } from "./useUndo";
import { refocusIfLost } from "../lib/focus";

export type Axis = "stage" | "lane";

export interface AxisHeaderProps {
  axis: Axis;
  item: Stage;
  index: number;
  count: number;
  readOnly?: boolean;
  /** Names of the other headers of this axis (for the duplicate-name warning). */
  otherNames?: string[];
  onRename: (name: string) => void;
  onMove: (toIndex: number, viaKeyboard: boolean) => void;
  onDelete: () => void;
  /** Another header of the same axis was dropped on this one. */
  onDropHere: (draggedId: string) => void;
  dragging: { kind: Axis | "card"; id: string } | null;
  setDragging: (d: { kind: Axis | "card"; id: string } | null) => void;
}

export function AxisHeader(p: AxisHeaderProps) {
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [over, setOver] = useState(false);
  const self = useRef<HTMLDivElement>(null);
  const endEdit = () => {
    setEditing(false);
    refocusIfLost(() => self.current);
  };
  const isStage = p.axis === "stage";
  const back = isStage ? "ArrowLeft" : "ArrowUp";
  const fwd = isStage ? "ArrowRight" : "ArrowDown";
  const noun = isStage ? "stage" : "lane";
  const accepts = p.dragging?.kind === p.axis && p.dragging.id !== p.item.id;

  if (p.readOnly) {
    return (
      <div className={`axis axis--${p.axis}`} data-testid={`${noun}-header`}>
        <h2 className="axis__name" title={p.item.name}>
          {p.item.name}
        </h2>
      </div>
    );
  }

  return (
    <div
      className={`axis axis--${p.axis}${over && accepts ? " is-drop-target" : ""}${p.dragging?.id === p.item.id ? " is-dragging" : ""}`}
      data-testid={`${noun}-header`}
      data-id={p.item.id}
      ref={self}
      tabIndex={0}
      role="group"
      aria-roledescription={noun}
      aria-label={`${isStage ? "Stage" : "Lane"} ${p.item.name}, ${p.index + 1} of ${p.count}. Alt+${isStage ? "Left/Right" : "Up/Down"} arrow to move, F2 to rename.`}
      draggable={!editing}
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", p.item.id);
        p.setDragging({ kind: p.axis, id: p.item.id });
      }}
      onDragEnd={() => p.setDragging(null)}
      onDragOver={(e) => {
        if (!accepts) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        if (!accepts) return;
        e.preventDefault();
        p.setDragging(null);
        p.onDropHere(p.dragging!.id);
      }}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        if (e.altKey && e.key === back && p.index > 0) {
          e.preventDefault();
          p.onMove(p.index - 1, true);
        } else if (e.altKey && e.key === fwd && p.index < p.count - 1) {
          e.preventDefault();
          p.onMove(p.index + 1, true);
        } else if (e.key === "F2" || e.key === "Enter") {
          e.preventDefault();
          setEditing(true);
        }
      }}
    >
      <span className="axis__grip" aria-hidden>
        ⠿
      </span>
      <InlineEdit
        as="h2"
        className="axis__name"
        value={p.item.name}
        editing={editing}
        ariaLabel={`${isStage ? "Stage" : "Lane"} name`}
        testId={`${noun}-name-input`}
        warning={(draft) => duplicateWarning(noun, draft, p.otherNames)}
        onSave={(v) => {
          endEdit();
          p.onRename(v);
        }}
        onCancel={endEdit}
      />
      {!editing && (
        <Menu
          ariaLabel={`Actions for ${noun} ${p.item.name}`}
          label="⋯"
          buttonClassName="icon-button icon-button--small axis__more"
          testId={`${noun}-actions`}
          items={[
            { label: "Rename", testId: `${noun}-rename`, onSelect: () => setEditing(true) },
            {
              label: isStage ? "Move left" : "Move up",
              disabled: p.index === 0,
              onSelect: () => p.onMove(p.index - 1, false),
            },
            {
              label: isStage ? "Move right" : "Move down",
              disabled: p.index === p.count - 1,
              onSelect: () => p.onMove(p.index + 1, false),
            },
            { label: "Delete", danger: true, testId: `${noun}-delete`, onSelect: () => setConfirm(true) },
          ]}
        />
      )}
      {confirm && (
        <ConfirmDialog
          title={`Delete ${noun} “${p.item.name}”?`}
          message={`Its cards are deleted too. Undo (${MOD_KEY}+Z) brings it back with its cards.`}
          confirmLabel={`Delete ${noun}`}
          danger
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            p.onDelete();
          }}
        />
      )}
    </div>
  );
}

/** "Another stage is already called …" when `draft` repeats a sibling's name (case-insensitive). */
export function duplicateWarning(noun: string, draft: string, others: string[] | undefined): string | null {
  const d = draft.trim().toLowerCase();
  if (!d || !others?.some((o) => o.trim().toLowerCase() === d)) return null;
  return `Another ${noun} is already called “${draft.trim()}”.`;
}
