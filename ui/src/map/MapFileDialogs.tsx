/**
 * The shell's map-file actions and their dialogs: new map from a template, import a map file
 * or workshop pack (native open dialog → inspect → choices → import), save a map as a
 * template, duplicate a map, export a map file or workshop pack. Used by the sidebar and the
 * native File menu; results are announced and shown as a notice, failures as the error toast.
 */
import { useCallback, useState, type ReactNode } from "react";
import { useAppState } from "../AppState";
import { useAnnounce } from "../components/Announcer";
import { api, toIpcError, type MapFilePreview, type MapImportReport, type MapSummary } from "../ipc";
import type { Route } from "../navigation";
import { ImportDialog } from "./ImportDialog";
import { SaveTemplateDialog, TemplatePicker } from "./TemplatePicker";

type Dialog =
  | { kind: "template" }
  | { kind: "import"; path: string; preview: MapFilePreview }
  | { kind: "saveTemplate"; map: MapSummary };

export interface MapFileActions {
  newFromTemplate: () => void;
  importFile: () => void;
  duplicate: (m: MapSummary) => void;
  saveAsTemplate: (m: MapSummary) => void;
  exportFile: (m: MapSummary, pack: boolean) => void;
}

export function importSummary(r: MapImportReport): string {
  const parts = [`Imported “${r.map.map.name}”.`];
  if (r.map.map.dataAsOf) parts.push("It is a read-only workshop pack.");
  if (r.reboundCards) parts.push(`${r.reboundCards} card${r.reboundCards === 1 ? " now uses" : "s now use"} the replacement survey.`);
  if (r.unboundCards)
    parts.push(`${r.unboundCards} card${r.unboundCards === 1 ? " needs" : "s need"} a survey and question (shown as unbound).`);
  return parts.join(" ");
}

export function useMapFileDialogs(
  navigate: (r: Route) => void,
  onError: (m: string) => void,
  onNotice: (m: string) => void,
): { actions: MapFileActions; dialogs: ReactNode } {
  const { reloadMaps } = useAppState();
  const announce = useAnnounce();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = useCallback(() => setDialog(null), []);
  const notice = useCallback(
    (m: string) => {
      onNotice(m);
      announce(m);
    },
    [onNotice, announce],
  );

  const importFile = useCallback(async () => {
    try {
      const path = await api.pickMapFile();
      if (!path) return;
      setDialog({ kind: "import", path, preview: await api.inspectMapFile(path) });
    } catch (e) {
      onError(`Could not open the map file: ${toIpcError(e).message}`);
    }
  }, [onError]);

  const actions: MapFileActions = {
    newFromTemplate: () => setDialog({ kind: "template" }),
    importFile: () => void importFile(),
    saveAsTemplate: (map) => setDialog({ kind: "saveTemplate", map }),
    duplicate: (m) =>
      void (async () => {
        try {
          const copy = await api.duplicateMap(m.id, `${m.name} (copy)`);
          await reloadMaps();
          navigate({ name: "map", mapId: copy.map.id });
          notice(`Duplicated as “${copy.map.name}”.`);
        } catch (e) {
          onError(`Could not duplicate the map: ${toIpcError(e).message}`);
        }
      })(),
    exportFile: (m, pack) =>
      void (async () => {
        try {
          const path = await api.exportMapFile(m.id, pack);
          if (path) notice(`${pack ? "Workshop pack" : "Map file"} saved: ${path}`);
        } catch (e) {
          onError(`Export failed: ${toIpcError(e).message}`);
        }
      })(),
  };

  const dialogs = (
    <>
      {dialog?.kind === "template" && (
        <TemplatePicker
          onClose={close}
          onCreated={(v) => {
            close();
            void reloadMaps();
            navigate({ name: "map", mapId: v.map.id });
            notice(`Created “${v.map.name}” from a template.`);
          }}
        />
      )}
      {dialog?.kind === "import" && (
        <ImportDialog
          path={dialog.path}
          preview={dialog.preview}
          onClose={close}
          onImported={(r) => {
            close();
            void reloadMaps();
            navigate({ name: "map", mapId: r.map.map.id });
            notice(importSummary(r));
          }}
        />
      )}
      {dialog?.kind === "saveTemplate" && (
        <SaveTemplateDialog
          mapId={dialog.map.id}
          mapName={dialog.map.name}
          onClose={close}
          onSaved={(t) => {
            close();
            notice(`Saved the template “${t.name}”: it is offered under New map from template.`);
          }}
        />
      )}
    </>
  );
  return { actions, dialogs };
}
