// The top of the page: where you are, the filter, the toolbar, and what went wrong.
import type { ComponentChildren, JSX, Ref } from "preact";
import type { Entry } from "../dav";
import { Icon } from "./icons";

export interface Notice {
    id: number;
    kind: "error" | "info";
    text: string;
}

export interface HeaderProps {
    /** The header's element, whose height the grid's sticky column headings sit below. */
    headerRef: Ref<HTMLElement>;
    crumbs: { name: string; href: string }[];
    onNavigate: (href: string) => void;
    filter: string;
    onFilter: (filter: string) => void;
    selected: readonly Entry[];
    onUploadFiles: () => void;
    onUploadFolder: () => void;
    onNewFolder: () => void;
    onRename: () => void;
    onMove: () => void;
    onCopy: () => void;
    onDelete: () => void;
    notices: readonly Notice[];
    onDismiss: (id: number) => void;
    /** The hidden file inputs the upload buttons open. */
    children: ComponentChildren;
}

export function Header(props: HeaderProps): JSX.Element {
    const count = props.selected.length;
    const oneFile = count === 1 && !props.selected[0]!.isFolder ? props.selected[0]! : null;
    return (
        <header ref={props.headerRef} class="sticky">
            <div class="topline">
                <nav class="crumbs" aria-label="Folder path">
                    {props.crumbs.map((c, i) => (
                        <span key={c.href} class="crumb">
                            {i > 0 && (
                                <span class="sep" aria-hidden="true">
                                    /
                                </span>
                            )}
                            <a
                                href={c.href}
                                aria-current={i === props.crumbs.length - 1 ? "page" : undefined}
                                onClick={(e) => {
                                    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                                    e.preventDefault();
                                    props.onNavigate(c.href);
                                }}
                            >
                                {i === 0 && <Icon name="home" class="small" />}
                                {c.name}
                            </a>
                        </span>
                    ))}
                </nav>
                <div class="filter">
                    <Icon name="search" class="small" />
                    <input
                        type="search"
                        placeholder="Filter by name"
                        aria-label="Filter by name"
                        value={props.filter}
                        onInput={(e) => props.onFilter((e.target as HTMLInputElement).value)}
                    />
                </div>
            </div>
            <div class="toolbar">
                <div class="tools">
                    <button type="button" class="primary" onClick={props.onUploadFiles}>
                        <Icon name="upload" />
                        <span class="label">Upload files</span>
                    </button>
                    <button type="button" onClick={props.onUploadFolder}>
                        <Icon name="uploadFolder" />
                        <span class="label">Upload folder</span>
                    </button>
                    <button type="button" onClick={props.onNewFolder}>
                        <Icon name="newFolder" />
                        <span class="label">New folder</span>
                    </button>
                    <span class="divider" aria-hidden="true" />
                    <button type="button" onClick={props.onRename} disabled={count !== 1}>
                        <Icon name="rename" />
                        <span class="label">Rename</span>
                    </button>
                    <button type="button" onClick={props.onMove} disabled={count === 0}>
                        <Icon name="move" />
                        <span class="label">Move</span>
                    </button>
                    <button type="button" onClick={props.onCopy} disabled={count === 0}>
                        <Icon name="copy" />
                        <span class="label">Copy</span>
                    </button>
                    <button type="button" onClick={props.onDelete} disabled={count === 0}>
                        <Icon name="trash" />
                        <span class="label">Delete</span>
                    </button>
                    {oneFile ? (
                        <a class="button" href={`${oneFile.href}?download`}>
                            <Icon name="download" />
                            <span class="label">Download</span>
                        </a>
                    ) : (
                        <button type="button" disabled>
                            <Icon name="download" />
                            <span class="label">Download</span>
                        </button>
                    )}
                </div>
            </div>
            {props.children}
            {props.notices.length > 0 && (
                <div class="notices">
                    {props.notices.map((n) => (
                        <div key={n.id} class={`notice ${n.kind}`} role={n.kind === "error" ? "alert" : "status"}>
                            {n.kind === "error" && <Icon name="warning" />}
                            <span>{n.text}</span>
                            <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => props.onDismiss(n.id)}>
                                <Icon name="close" />
                            </button>
                        </div>
                    ))}
                </div>
            )}
        </header>
    );
}
