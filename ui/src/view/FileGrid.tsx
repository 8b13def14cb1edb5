// The folder's members as a grid that renders only the rows in view, so 10,000 entries cost what 30 do. It is one
// tab stop: arrows move, Space selects, Enter opens (the WAI-ARIA grid pattern, with aria-activedescendant).
import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Entry } from "../dav";
import { formatDate, formatSize, kindLabels, kindOf } from "../format";
import { Icon } from "./icons";

export type SortKey = "name" | "size" | "modified";
export interface Sort {
    key: SortKey;
    ascending: boolean;
}

export interface GridProps {
    entries: readonly Entry[];
    label: string;
    sort: Sort;
    onSort: (sort: Sort) => void;
    selected: ReadonlySet<string>;
    onSelect: (selected: Set<string>) => void;
    active: number;
    onActive: (index: number) => void;
    onOpen: (entry: Entry, event?: MouseEvent) => void;
    onParent: () => void;
    onDelete: () => void;
    onRename: () => void;
    empty: JSX.Element;
}

const overscan = 8;

function rowHeight(): number {
    const value = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--row"));
    return value > 0 ? value : 44;
}

export function FileGrid(props: GridProps): JSX.Element {
    const { entries, selected, active } = props;
    const body = useRef<HTMLDivElement>(null);
    const grid = useRef<HTMLDivElement>(null);
    const anchor = useRef(0);
    const typed = useRef({ text: "", at: 0 });
    const [height, setHeight] = useState(rowHeight);
    const [range, setRange] = useState({ first: 0, last: 40 });

    // The window scrolls (one scroll bar, and phones hide their toolbars); rows are placed by index.
    useLayoutEffect(() => {
        let frame = 0;
        const measure = () => {
            frame = 0;
            const h = rowHeight();
            setHeight(h);
            const top = body.current?.getBoundingClientRect().top ?? 0;
            const first = Math.max(0, Math.floor(-top / h) - overscan);
            const last = Math.max(first, Math.ceil((window.innerHeight - top) / h) + overscan);
            setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
        };
        const schedule = () => {
            if (frame === 0) frame = requestAnimationFrame(measure);
        };
        measure();
        window.addEventListener("scroll", schedule, { passive: true });
        window.addEventListener("resize", schedule);
        return () => {
            window.removeEventListener("scroll", schedule);
            window.removeEventListener("resize", schedule);
            cancelAnimationFrame(frame);
        };
    }, [entries.length]);

    const reveal = (index: number) => {
        const top = body.current?.getBoundingClientRect().top;
        if (top === undefined) return;
        const rowTop = top + index * height;
        const header = document.querySelector(".sticky")?.getBoundingClientRect().bottom ?? 0;
        const headRow = grid.current?.querySelector(".grid-head")?.getBoundingClientRect().height ?? 0;
        if (rowTop < header + headRow) window.scrollBy(0, rowTop - header - headRow);
        else if (rowTop + height > window.innerHeight) window.scrollBy(0, rowTop + height - window.innerHeight);
    };

    useEffect(() => {
        if (active >= 0 && active < entries.length && document.activeElement === grid.current) reveal(active);
    }, [active]);

    const move = (index: number, e: KeyboardEvent) => {
        const to = Math.max(0, Math.min(entries.length - 1, index));
        props.onActive(to);
        if (e.shiftKey) {
            const [a, b] = [Math.min(anchor.current, to), Math.max(anchor.current, to)];
            props.onSelect(new Set(entries.slice(a, b + 1).map((x) => x.href)));
        } else if (!e.ctrlKey && !e.metaKey) {
            anchor.current = to;
            props.onSelect(new Set([entries[to]!.href]));
        }
        reveal(to);
    };

    const onKeyDown = (e: KeyboardEvent) => {
        if (e.target !== grid.current) return;
        const page = Math.max(1, Math.floor((window.innerHeight - 200) / height));
        const current = active < 0 ? -1 : active;
        const entry = entries[current];
        let handled = true;
        switch (e.key) {
            case "ArrowDown":
                if (entries.length) move(current + 1, e);
                break;
            case "ArrowUp":
                if (e.altKey) props.onParent();
                else if (entries.length) move(Math.max(0, current - 1), e);
                break;
            case "Home":
                if (entries.length) move(0, e);
                break;
            case "End":
                if (entries.length) move(entries.length - 1, e);
                break;
            case "PageDown":
                if (entries.length) move(current + page, e);
                break;
            case "PageUp":
                if (entries.length) move(current - page, e);
                break;
            case " ":
                if (entry) {
                    const next = new Set(selected);
                    if (next.has(entry.href)) next.delete(entry.href);
                    else next.add(entry.href);
                    anchor.current = current;
                    props.onSelect(next);
                }
                break;
            case "Enter":
                if (entry) props.onOpen(entry);
                break;
            case "Backspace":
                props.onParent();
                break;
            case "Delete":
                if (selected.size > 0) props.onDelete();
                break;
            case "F2":
                props.onRename();
                break;
            case "Escape":
                if (selected.size > 0) props.onSelect(new Set());
                else handled = false;
                break;
            case "a":
            case "A":
                if (e.ctrlKey || e.metaKey) props.onSelect(new Set(entries.map((x) => x.href)));
                else handled = typeAhead(e.key);
                break;
            default:
                handled = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && typeAhead(e.key);
        }
        if (handled) e.preventDefault();
    };

    // Typing letters jumps to the next name that starts with them, as in desktop file managers.
    const typeAhead = (key: string): boolean => {
        const now = Date.now();
        typed.current = { text: (now - typed.current.at < 800 ? typed.current.text : "") + key.toLowerCase(), at: now };
        const text = typed.current.text;
        const start = text.length === 1 ? active + 1 : Math.max(0, active);
        for (let i = 0; i < entries.length; i++) {
            const index = (start + i) % entries.length;
            if (entries[index]!.name.toLowerCase().startsWith(text)) {
                move(index, new KeyboardEvent("keydown"));
                return true;
            }
        }
        return key !== " ";
    };

    const onRowClick = (index: number, e: MouseEvent) => {
        const entry = entries[index]!;
        props.onActive(index);
        if (e.shiftKey) {
            const [a, b] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
            props.onSelect(new Set(entries.slice(a, b + 1).map((x) => x.href)));
            return;
        }
        anchor.current = index;
        if (e.ctrlKey || e.metaKey) {
            const next = new Set(selected);
            if (next.has(entry.href)) next.delete(entry.href);
            else next.add(entry.href);
            props.onSelect(next);
        } else {
            props.onSelect(new Set([entry.href]));
        }
    };

    const toggle = (index: number) => {
        const entry = entries[index]!;
        const next = new Set(selected);
        if (next.has(entry.href)) next.delete(entry.href);
        else next.add(entry.href);
        anchor.current = index;
        props.onActive(index);
        props.onSelect(next);
    };

    const header = (key: SortKey, text: string, className: string) => {
        const on = props.sort.key === key;
        return (
            <div role="columnheader" class={`cell ${className}`} aria-sort={on ? (props.sort.ascending ? "ascending" : "descending") : "none"}>
                <button type="button" class="sort" onClick={() => props.onSort({ key, ascending: on ? !props.sort.ascending : true })}>
                    {text}
                    {on && <Icon name={props.sort.ascending ? "chevronUp" : "chevronDown"} class="small" />}
                </button>
            </div>
        );
    };

    const allSelected = entries.length > 0 && entries.every((e) => selected.has(e.href));
    const rows: JSX.Element[] = [];
    const last = Math.min(entries.length - 1, range.last);
    for (let i = range.first; i <= last; i++) {
        const entry = entries[i]!;
        const isSelected = selected.has(entry.href);
        const kind = kindOf(entry.name, entry.isFolder);
        rows.push(
            <div
                role="row"
                id={`row-${i}`}
                key={entry.href}
                class={`row${isSelected ? " selected" : ""}${i === active ? " active" : ""}`}
                aria-rowindex={i + 2}
                aria-selected={isSelected ? "true" : "false"}
                data-href={entry.href}
                style={{ transform: `translateY(${i * height}px)` }}
                onClick={(e) => onRowClick(i, e)}
                onDblClick={(e) => {
                    if (!(e.target as Element).closest("a,input")) props.onOpen(entry);
                }}
            >
                <div role="gridcell" class="cell c-check">
                    <input
                        type="checkbox"
                        tabIndex={-1}
                        checked={isSelected}
                        aria-label={`Select ${entry.name}`}
                        onClick={(e) => {
                            e.stopPropagation();
                            toggle(i);
                        }}
                    />
                </div>
                <div role="gridcell" class="cell c-name">
                    <Icon name={kind} label={kindLabels[kind]} class={`kind ${kind}`} />
                    <a
                        href={entry.href}
                        tabIndex={-1}
                        class="name"
                        title={entry.name}
                        onClick={(e) => {
                            e.stopPropagation();
                            if (entry.isFolder && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
                                e.preventDefault();
                                props.onOpen(entry, e);
                            }
                        }}
                    >
                        {entry.name}
                    </a>
                </div>
                <div role="gridcell" class="cell c-size">
                    {entry.isFolder ? "" : formatSize(entry.size)}
                </div>
                <div role="gridcell" class="cell c-date" title={isNaN(entry.modified) ? "" : new Date(entry.modified).toISOString()}>
                    {formatDate(entry.modified)}
                </div>
                <div role="gridcell" class="cell c-act">
                    {!entry.isFolder && (
                        <a
                            href={`${entry.href}?download`}
                            tabIndex={-1}
                            class="icon-button"
                            aria-label={`Download ${entry.name}`}
                            title="Download"
                            onClick={(e) => e.stopPropagation()}
                        >
                            <Icon name="download" />
                        </a>
                    )}
                </div>
            </div>,
        );
    }

    return (
        <div
            ref={grid}
            role="grid"
            class="grid"
            tabIndex={0}
            aria-label={props.label}
            aria-rowcount={entries.length + 1}
            aria-multiselectable="true"
            aria-activedescendant={active >= range.first && active <= last ? `row-${active}` : undefined}
            onKeyDown={onKeyDown}
            onFocus={(e) => {
                if (e.target === grid.current && active < 0 && entries.length > 0) props.onActive(0);
            }}
        >
            <div role="rowgroup" class="grid-head">
                <div role="row" class="row head" aria-rowindex={1}>
                    <div role="columnheader" class="cell c-check">
                        <input
                            type="checkbox"
                            tabIndex={-1}
                            checked={allSelected}
                            aria-label="Select all"
                            onClick={() => props.onSelect(allSelected ? new Set() : new Set(entries.map((e) => e.href)))}
                        />
                    </div>
                    {header("name", "Name", "c-name")}
                    {header("size", "Size", "c-size")}
                    {header("modified", "Modified", "c-date")}
                    <div role="columnheader" class="cell c-act">
                        <span class="visually-hidden">Actions</span>
                    </div>
                </div>
            </div>
            {entries.length === 0 ? (
                <div class="empty">{props.empty}</div>
            ) : (
                <div role="rowgroup" ref={body} class="grid-body" style={{ height: `${entries.length * height}px` }}>
                    {rows}
                </div>
            )}
        </div>
    );
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Folders first, then by the chosen column; names break ties. */
export function sortEntries(entries: readonly Entry[], sort: Sort): Entry[] {
    const direction = sort.ascending ? 1 : -1;
    return [...entries].sort((a, b) => {
        if (a.isFolder !== b.isFolder) return a.isFolder ? -1 : 1;
        let order = 0;
        if (sort.key === "size") order = a.size - b.size;
        else if (sort.key === "modified") order = (a.modified || 0) - (b.modified || 0);
        if (order === 0) order = collator.compare(a.name, b.name);
        return order * direction;
    });
}
