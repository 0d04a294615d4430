/**
 * Left navigation: journey maps (create blank or from a template, import a map file or
 * workshop pack; per map: rename, duplicate, save as template, export map file / workshop
 * pack, delete with confirmation; a read-only workshop pack carries a "Pack" badge with its
 * "data as of" time), Integrations,
 * "Support data" (the debug download page) and Help (the Connecting Qualtrics guide). Leaving a
 * rename returns focus to the map's link. Loading shows skeleton rows; no maps shows an empty hint.
 */
import { useState } from "react";
import { useAppState } from "../AppState";
import { api, toIpcError, type MapSummary } from "../ipc";
import { formatDateTime } from "../lib/format";
import type { MapFileActions } from "../map/MapFileDialogs";
import type { Route } from "../navigation";
import { InlineEdit } from "./InlineEdit";
import { Menu } from "./Menu";
import { ConfirmDialog } from "./Modal";
import { Skeleton } from "./Feedback";

export function Sidebar(props: {
  route: Route;
  navigate: (r: Route) => void;
  onError: (m: string) => void;
  files: MapFileActions;
}) {
  const { maps, mapsError, setMaps, reloadMaps, info } = useAppState();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<MapSummary | null>(null);

  const create = async (name: string) => {
    setCreating(false);
    try {
      const view = await api.createMap(name);
      await reloadMaps();
      props.navigate({ name: "map", mapId: view.map.id });
    } catch (e) {
      props.onError(`Could not create the map: ${toIpcError(e).message}`);
    }
  };
  /** After a rename ends (saved or not) focus returns to the map's link, not to the page body. */
  const endRename = (id: string) => {
    setRenaming(null);
    requestAnimationFrame(() =>
      Array.from(document.querySelectorAll<HTMLElement>("[data-testid=map-open]"))
        .find((b) => b.dataset.mapId === id)
        ?.focus(),
    );
  };
  const rename = async (id: string, name: string) => {
    endRename(id);
    if (maps) setMaps(maps.map((m) => (m.id === id ? { ...m, name } : m)));
    try {
      await api.renameMap(id, name);
    } catch (e) {
      props.onError(`Could not rename the map: ${toIpcError(e).message}`);
    }
    await reloadMaps();
  };
  const remove = async (m: MapSummary) => {
    setDeleting(null);
    try {
      await api.deleteMap(m.id);
      if (props.route.name === "map" && props.route.mapId === m.id) props.navigate({ name: "home" });
    } catch (e) {
      props.onError(`Could not delete the map: ${toIpcError(e).message}`);
    }
    await reloadMaps();
  };

  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden>
          ◉
        </span>
        Pulsemap
      </div>
      <div className="sidebar__section">
        <div className="sidebar__heading">
          <span>Journey maps</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label="New journey map"
            title="New journey map"
            data-testid="map-create"
            onClick={() => setCreating(true)}
          >
            +
          </button>
          <Menu
            ariaLabel="More ways to add a map"
            label="▾"
            buttonClassName="icon-button icon-button--small"
            testId="map-add-menu"
            items={[
              { label: "New map from template…", testId: "map-from-template", onSelect: props.files.newFromTemplate },
              { label: "Import map file or workshop pack…", testId: "map-import", onSelect: props.files.importFile },
            ]}
          />
        </div>
        <ul className="sidebar__list" data-testid="map-list">
          {maps === null && !mapsError &&
            [0, 1, 2].map((i) => (
              <li key={i} className="sidebar__skeleton">
                <Skeleton height="14px" width={`${70 - i * 12}%`} />
              </li>
            ))}
          {mapsError && (
            <li className="sidebar__error" role="alert">
              Maps could not be loaded.{" "}
              <button type="button" className="link" onClick={() => void reloadMaps()}>
                Retry
              </button>
            </li>
          )}
          {maps?.length === 0 && !creating && (
            <li className="sidebar__empty" data-testid="map-list-empty">
              No maps yet.{" "}
              <button type="button" className="link" onClick={() => setCreating(true)}>
                Create one
              </button>
            </li>
          )}
          {maps?.map((m) => {
            const active = props.route.name === "map" && props.route.mapId === m.id;
            return (
              <li key={m.id} className={`sidebar__item${active ? " is-active" : ""}`} data-testid={`map-item-${m.id}`}>
                {renaming === m.id ? (
                  <InlineEdit
                    value={m.name}
                    editing
                    ariaLabel="Map name"
                    testId="map-rename-input"
                    onSave={(v) => void rename(m.id, v)}
                    onCancel={() => endRename(m.id)}
                  />
                ) : (
                  <button
                    type="button"
                    className="sidebar__link"
                    aria-current={active ? "page" : undefined}
                    data-testid="map-open"
                    data-map-id={m.id}
                    onClick={() => props.navigate({ name: "map", mapId: m.id })}
                  >
                    <span className="sidebar__link-text" title={m.name}>
                      {m.name}
                    </span>
                    {m.dataAsOf && (
                      <span
                        className="pack-badge"
                        data-testid="map-pack-badge-sidebar"
                        title={`Read-only workshop pack, data as of ${formatDateTime(m.dataAsOf)}`}
                      >
                        Pack
                        <span className="visually-hidden">, read-only, data as of {formatDateTime(m.dataAsOf)}</span>
                      </span>
                    )}
                  </button>
                )}
                <Menu
                  ariaLabel={`Actions for ${m.name}`}
                  label="⋯"
                  buttonClassName="icon-button icon-button--small sidebar__more"
                  testId="map-actions"
                  items={[
                    ...(m.dataAsOf ? [] : [{ label: "Rename", testId: "map-rename", onSelect: () => setRenaming(m.id) }]),
                    { label: m.dataAsOf ? "Duplicate to edit" : "Duplicate", testId: "map-duplicate", onSelect: () => props.files.duplicate(m) },
                    { label: "Save as template…", testId: "map-save-template", onSelect: () => props.files.saveAsTemplate(m) },
                    { label: "Export map file…", testId: "map-export-file", onSelect: () => props.files.exportFile(m, false) },
                    { label: "Export workshop pack…", testId: "map-export-pack", onSelect: () => props.files.exportFile(m, true) },
                    { label: "Delete", testId: "map-delete", danger: true, onSelect: () => setDeleting(m) },
                  ]}
                />
              </li>
            );
          })}
          {creating && (
            <li className="sidebar__item">
              <InlineEdit
                value=""
                editing
                ariaLabel="New map name"
                testId="map-create-input"
                onSave={(v) => void create(v)}
                onCancel={() => setCreating(false)}
              />
            </li>
          )}
        </ul>
      </div>
      <div className="sidebar__section sidebar__section--bottom">
        <button
          type="button"
          className={`sidebar__nav${props.route.name === "integrations" ? " is-active" : ""}`}
          data-testid="nav-integrations"
          onClick={() => props.navigate({ name: "integrations" })}
        >
          <span aria-hidden>⇄</span> Integrations
        </button>
        <button
          type="button"
          className={`sidebar__nav${props.route.name === "debug" ? " is-active" : ""}`}
          data-testid="nav-debug"
          onClick={() => props.navigate({ name: "debug" })}
        >
          <span aria-hidden>⚙</span> Support data
        </button>
        <button
          type="button"
          className={`sidebar__nav${props.route.name === "guide" ? " is-active" : ""}`}
          data-testid="nav-guide"
          onClick={() => props.navigate({ name: "guide" })}
        >
          <span aria-hidden>?</span> Help: Connecting Qualtrics
        </button>
        {info && (
          <p className="sidebar__version" data-testid="app-version">
            Pulsemap {info.version}
            {info.demo && (
              <button
                type="button"
                className="sidebar__demo"
                data-testid="demo-badge"
                title="Demo data is active: open Integrations to leave it"
                onClick={() => props.navigate({ name: "integrations" })}
              >
                Demo data
              </button>
            )}
          </p>
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title="Delete journey map?"
          message={`“${deleting.name}” and all its cards will be deleted. Survey data stays cached.`}
          confirmLabel="Delete map"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </nav>
  );
}
