/**
 * The journey map grid: stages as columns, lanes as rows, cards in cells. Owns drag state and
 * turns user gestures (drag, keyboard, menus) into map commands; announces keyboard moves.
 * Stage and lane headers are sticky (see map.css) so cards keep their context while scrolling.
 * `readOnly` (a workshop pack) paints the same grid with no editing control at all.
 */
import { useEffect, useRef, useState } from "react";
import { useAnnounce } from "../components/Announcer";
import { api, type MapView, type MetricCardConfig, type RefreshProgress } from "../ipc";
import { byPosition, cardConfig, cellCards } from "../lib/model";
import { refocusIfLost } from "../lib/focus";
import { AxisHeader, duplicateWarning, type Axis } from "./AxisHeader";
import { Cell } from "./Cell";
import { FrozenAsOf } from "./frozen";
import { MoveCardDialog } from "./MoveCardDialog";

export interface CardTarget {
  stageId: string;
  laneId: string;
}

type Drag = { kind: Axis | "card"; id: string } | null;

export function MapGrid(props: {
  view: MapView;
  progress: Record<string, RefreshProgress>;
  mutate: (what: string, op: () => Promise<MapView>) => Promise<boolean>;
  onAddMetric: (target: CardTarget) => void;
  onEditMetric: (cardId: string, config: MetricCardConfig) => void;
  readOnly?: boolean;
}) {
  const { view, mutate } = props;
  const readOnly = !!props.readOnly;
  const announce = useAnnounce();
  const stages = byPosition(view.stages);
  const lanes = byPosition(view.lanes);
  const [dragging, setDragging] = useState<Drag>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [adding, setAdding] = useState<Axis | null>(null);
  const refocus = useRef<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!refocus.current) return;
    root.current?.querySelector<HTMLElement>(`[data-id="${refocus.current}"]`)?.focus();
    refocus.current = null;
  }, [view]);

  const moveAxis = async (axis: Axis, id: string, toIndex: number, viaKeyboard: boolean) => {
    const list = axis === "stage" ? stages : lanes;
    const item = list.find((x) => x.id === id);
    if (!item) return;
    if (viaKeyboard) refocus.current = id;
    const ok = await mutate(`move the ${axis}`, () =>
      axis === "stage" ? api.moveStage(id, toIndex) : api.moveLane(id, toIndex),
    );
    if (ok) announce(`${axis === "stage" ? "Stage" : "Lane"} ${item.name} moved to position ${toIndex + 1} of ${list.length}.`);
  };

  const moveCard = async (cardId: string, stageId: string, laneId: string, position: number) => {
    const ok = await mutate("move the card", () => api.moveCard(cardId, stageId, laneId, position));
    const s = stages.find((x) => x.id === stageId)?.name;
    const l = lanes.find((x) => x.id === laneId)?.name;
    if (ok) announce(`Card moved to ${s} / ${l}.`);
  };

  const dropCard = (stageId: string, laneId: string, beforeCardId: string | null) => {
    if (dragging?.kind !== "card") return;
    const id = dragging.id;
    setDragging(null);
    const others = cellCards(view, stageId, laneId).filter((c) => c.card.id !== id);
    const idx = beforeCardId ? others.findIndex((c) => c.card.id === beforeCardId) : -1;
    void moveCard(id, stageId, laneId, idx >= 0 ? idx : others.length);
  };

  const axisProps = (axis: Axis, list: typeof stages) =>
    list.map((item, index) => ({
      key: item.id,
      readOnly,
      axis,
      item,
      index,
      count: list.length,
      otherNames: list.filter((x) => x.id !== item.id).map((x) => x.name),
      dragging,
      setDragging,
      onRename: (name: string) => void mutate(`rename the ${axis}`, () => (axis === "stage" ? api.renameStage(item.id, name) : api.renameLane(item.id, name))),
      onMove: (to: number, kb: boolean) => void moveAxis(axis, item.id, to, kb),
      onDelete: () => void mutate(`delete the ${axis}`, () => (axis === "stage" ? api.deleteStage(item.id) : api.deleteLane(item.id))),
      onDropHere: (draggedId: string) => void moveAxis(axis, draggedId, index, false),
    }));

  const addAxis = async (axis: Axis, name: string) => {
    setAdding(null);
    refocusIfLost(() => root.current?.querySelector<HTMLElement>(`[data-testid=${axis}-add]`));
    await mutate(`add the ${axis}`, () => (axis === "stage" ? api.addStage(view.map.id, name) : api.addLane(view.map.id, name)));
  };

  const movingCard = moving ? view.cards.find((c) => c.card.id === moving) : undefined;
  const { scrollRef, more } = useHorizontalOverflow([view]);

  return (
    <FrozenAsOf.Provider value={view.map.dataAsOf ?? null}>
      <div className="map-scroll-frame">
        {more.left && <div className="map-scroll__fade map-scroll__fade--left" data-testid="map-scroll-more-left" aria-hidden />}
        {more.right && <div className="map-scroll__fade map-scroll__fade--right" data-testid="map-scroll-more-right" aria-hidden />}
        <div className="map-scroll" ref={scrollRef} data-testid="map-scroll">
          <div
            ref={root}
            className="map-grid"
            data-testid="map-grid"
            style={{ gridTemplateColumns: `var(--lane-col-width) repeat(${stages.length}, minmax(var(--stage-min-width), var(--stage-max-width))) 56px` }}
          >
            <div className="map-grid__corner" />
            {axisProps("stage", stages).map(({ key, ...p }) => (
              <AxisHeader key={key} {...p} />
            ))}
            {readOnly && <div aria-hidden />}
            {!readOnly && <AddAxisButton
              axis="stage"
              adding={adding === "stage"}
              setAdding={setAdding}
              onAdd={addAxis}
              names={stages.map((s) => s.name)}
            />}
            {lanes.map((lane, li) => {
              const { key, ...hp } = axisProps("lane", lanes)[li];
              return (
                <div className="map-grid__row" key={lane.id} style={{ display: "contents" }}>
                  <AxisHeader key={key} {...hp} />
                  {stages.map((stage) => (
                    <Cell
                      key={stage.id}
                      stage={stage}
                      lane={lane}
                      cards={cellCards(view, stage.id, lane.id)}
                      progress={props.progress}
                      readOnly={readOnly}
                      dragging={dragging}
                      setDragging={setDragging}
                      onDrop={(before) => dropCard(stage.id, lane.id, before)}
                      onAddText={(text) => void mutate("add the card", () => api.addTextCard(view.map.id, stage.id, lane.id, text))}
                      onAddMetric={() => props.onAddMetric({ stageId: stage.id, laneId: lane.id })}
                      onSaveText={(cardId, text) => void mutate("save the card", () => api.updateTextCard(cardId, text))}
                      onEditMetric={props.onEditMetric}
                      onMoveTo={(cardId) => setMoving(cardId)}
                      onDelete={(cardId) => void mutate("delete the card", () => api.deleteCard(cardId))}
                    />
                  ))}
                  <div className="map-grid__filler" />
                </div>
              );
            })}
            {!readOnly && <AddAxisButton
              axis="lane"
              adding={adding === "lane"}
              setAdding={setAdding}
              onAdd={addAxis}
              names={lanes.map((l) => l.name)}
            />}
          </div>
          {movingCard && (
            <MoveCardDialog
              stages={stages}
              lanes={lanes}
              current={{ stageId: movingCard.card.stageId, laneId: movingCard.card.laneId }}
              title={cardConfig(movingCard)?.name ?? "text card"}
              onCancel={() => setMoving(null)}
              onMove={(stageId, laneId) => {
                setMoving(null);
                const count = cellCards(view, stageId, laneId).filter((c) => c.card.id !== movingCard.card.id).length;
                void moveCard(movingCard.card.id, stageId, laneId, count);
              }}
            />
          )}
        </div>
      </div>
    </FrozenAsOf.Provider>
  );
}

/**
 * Whether a horizontally scrolling element has more content to its left / right, kept up to
 * date on scroll, resize and whenever `deps` change (e.g. stages added).
 */
function useHorizontalOverflow(deps: unknown[]) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState({ left: false, right: false });

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => {
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setMore((m) => (m.left === left && m.right === right ? m : { left, right }));
    };
    update();
    el.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    const ro = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(update);
    ro?.observe(el);
    if (el.firstElementChild) ro?.observe(el.firstElementChild);
    return () => {
      el.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
      ro?.disconnect();
    };
  }, deps);

  return { scrollRef, more };
}

function AddAxisButton(props: {
  axis: Axis;
  adding: boolean;
  setAdding: (a: Axis | null) => void;
  onAdd: (axis: Axis, name: string) => void;
  /** Existing names of this axis, for the duplicate-name warning. */
  names: string[];
}) {
  const [name, setName] = useState("");
  const warning = duplicateWarning(props.axis, name, props.names);
  const label = props.axis === "stage" ? "Add stage" : "Add lane";
  if (props.adding) {
    return (
      <form
        className={`add-axis add-axis--${props.axis} add-axis--editing`}
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) props.onAdd(props.axis, name.trim());
          setName("");
        }}
      >
        <input
          className="input"
          autoFocus
          aria-label={props.axis === "stage" ? "New stage name" : "New lane name"}
          data-testid={`${props.axis}-add-input`}
          placeholder={props.axis === "stage" ? "Stage name" : "Lane name"}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => {
            if (!name.trim()) props.setAdding(null);
          }}
          onKeyDown={(e) => {
            if (e.key !== "Escape") return;
            props.setAdding(null);
            refocusIfLost(() => document.querySelector<HTMLElement>(`[data-testid=${props.axis}-add]`));
          }}
          aria-describedby={warning ? `${props.axis}-add-warning` : undefined}
        />
        {warning && (
          <span className="axis-warning" id={`${props.axis}-add-warning`} role="status" data-testid="name-warning">
            {warning}
          </span>
        )}
      </form>
    );
  }
  return (
    <button
      type="button"
      className={`add-axis add-axis--${props.axis}`}
      data-testid={`${props.axis}-add`}
      aria-label={label}
      title={label}
      onClick={() => props.setAdding(props.axis)}
    >
      + {props.axis === "lane" ? label : ""}
    </button>
  );
}
