/** Keyboard-friendly "Move to…" dialog: pick a stage and a lane, then Move. */
import { useState } from "react";
import { Modal } from "../components/Modal";
import type { Lane, Stage } from "../ipc";

export function MoveCardDialog(props: {
  stages: Stage[];
  lanes: Lane[];
  current: { stageId: string; laneId: string };
  title: string;
  onMove: (stageId: string, laneId: string) => void;
  onCancel: () => void;
}) {
  const [stageId, setStageId] = useState(props.current.stageId);
  const [laneId, setLaneId] = useState(props.current.laneId);
  const same = stageId === props.current.stageId && laneId === props.current.laneId;
  return (
    <Modal
      title={`Move “${props.title}” to…`}
      onClose={props.onCancel}
      testId="move-card-dialog"
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className="button button--primary" disabled={same} data-testid="move-card-confirm" onClick={() => props.onMove(stageId, laneId)}>
            Move
          </button>
        </>
      }
    >
      <div className="form-row">
        <label className="field">
          <span className="field__label">Stage</span>
          <select className="input" value={stageId} data-testid="move-card-stage" onChange={(e) => setStageId(e.target.value)}>
            {props.stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Lane</span>
          <select className="input" value={laneId} data-testid="move-card-lane" onChange={(e) => setLaneId(e.target.value)}>
            {props.lanes.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </div>
    </Modal>
  );
}
