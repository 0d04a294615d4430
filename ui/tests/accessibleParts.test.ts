// @vitest-environment node
// Dialogs, menus and comboboxes come from react-aria-components (focus trap and return,
// keyboard patterns, ARIA roles kept by a maintained library): no component under src/ hand-
// writes those roles, and the shared Modal, Menu and Combobox are built on the library.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.tsx?$/.test(n) ? [join(dir, n)] : []));
const HAND_ROLES = /role=["{'`]+(dialog|alertdialog|menu|menuitem|listbox|option|combobox)["}'`]/;

describe("accessible parts", () => {
  it("no component hand-writes a dialog, menu or combobox role", () => {
    const offenders = files(src).filter((f) => HAND_ROLES.test(readFileSync(f, "utf8"))).map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });

  it("Modal, Menu and Combobox are built on react-aria-components", () => {
    const uses = (name: string, parts: string[]) => {
      const code = readFileSync(join(src, "components", name), "utf8");
      expect(code).toMatch(/from "react-aria-components"/);
      for (const p of parts) expect(code).toContain(`<${p}`);
    };
    uses("Modal.tsx", ["ModalOverlay", "Dialog"]);
    uses("Menu.tsx", ["MenuTrigger", "AriaMenu"]);
    uses("Combobox.tsx", ["ComboBox", "ListBox"]);
  });

  it("the role check catches a hand-written dialog", () => {
    expect(HAND_ROLES.test('<div role="dialog" aria-modal="true">')).toBe(true);
    expect(HAND_ROLES.test("<ul role={'menu'}>")).toBe(true);
    expect(HAND_ROLES.test('<div role="status">')).toBe(false);
  });
});
