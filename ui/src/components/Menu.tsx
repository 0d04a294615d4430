/**
 * A small dropdown menu (button + list of actions) on react-aria-components' MenuTrigger:
 * Enter/Space/ArrowDown open it with the first item focused, arrows move, typing jumps,
 * Escape closes, and focus returns to the button. The list is a popover rendered above the
 * page, so it is never clipped by the scrolling map. Choosing an item closes the menu and
 * puts focus back on the button before the item runs, so a dialog the item opens returns
 * focus there when it closes.
 */
import { useRef, useState, type ReactNode } from "react";
import { Button, Menu as AriaMenu, MenuItem as AriaMenuItem, MenuTrigger, Popover } from "react-aria-components";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  testId?: string;
  disabled?: boolean;
}

export function Menu(props: {
  label: ReactNode;
  ariaLabel: string;
  items: MenuItem[];
  buttonClassName?: string;
  testId?: string;
  align?: "left" | "right";
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const disabledKeys = props.items.filter((i) => i.disabled).map((i) => i.label);
  return (
    <div className="menu">
      <MenuTrigger isOpen={open} onOpenChange={setOpen}>
        <Button
          ref={button}
          className={props.buttonClassName ?? "icon-button"}
          aria-label={props.ariaLabel}
          data-testid={props.testId}
          isDisabled={props.disabled}
        >
          {props.label}
        </Button>
        <Popover className="menu__list" placement={props.align === "left" ? "bottom start" : "bottom end"} offset={4}>
          <AriaMenu
            className="menu__items"
            aria-label={props.ariaLabel}
            disabledKeys={disabledKeys}
            onAction={(key) => {
              const item = props.items.find((i) => i.label === key);
              setOpen(false);
              button.current?.focus();
              item?.onSelect();
            }}
          >
            {props.items.map((item) => (
              <AriaMenuItem
                key={item.label}
                id={item.label}
                textValue={item.label}
                className={`menu__item${item.danger ? " menu__item--danger" : ""}`}
                data-testid={item.testId}
              >
                {item.label}
              </AriaMenuItem>
            ))}
          </AriaMenu>
        </Popover>
      </MenuTrigger>
    </div>
  );
}
