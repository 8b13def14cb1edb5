// What the toolbar and the keys do to the selected items: new folder, rename, move, copy, delete. Each asks what
// it needs in a dialog and says in plain words what went wrong.
import type { JSX } from "preact";
import * as dav from "../dav";
import { DavError, type Entry } from "../dav";
import { sentence } from "../errors";
import { count } from "../format";
import { childHref, isWithin, nameOf, pathKey } from "../paths";
import { ConfirmDialog, FolderDialog, PromptDialog } from "./Dialogs";

export interface ActionContext {
    root: string;
    folder: string;
    names: ReadonlySet<string>;
    /** The selected entries, or the active one when none is selected. */
    chosen: () => Entry[];
    ask: <T>(render: (done: (value: T) => void) => JSX.Element) => Promise<T>;
    notify: (kind: "error" | "info", text: string) => void;
    announce: (text: string) => void;
    load: (href: string, select?: string) => Promise<void>;
}

export async function newFolder(c: ActionContext): Promise<void> {
    const name = await c.ask<string | null>((done) => (
        <PromptDialog title="New folder" label="Name of the new folder" initial="" confirm="Create" taken={(n) => c.names.has(n)} onDone={done} />
    ));
    if (!name) return;
    const href = childHref(c.folder, name, true);
    try {
        if (await dav.mkcol(href)) c.announce(`Folder ${name} created.`);
        else c.notify("error", `Could not create the folder “${name}”: an item with that name is already here.`);
    } catch (error) {
        c.notify("error", await sentence(`create the folder “${name}”`, error));
    }
    await c.load(c.folder, href);
}

export async function rename(c: ActionContext): Promise<void> {
    const items = c.chosen();
    if (items.length !== 1) return;
    const item = items[0]!;
    const name = await c.ask<string | null>((done) => (
        <PromptDialog
            title={`Rename “${item.name}”`}
            label="New name"
            initial={item.name}
            confirm="Rename"
            taken={(n) => n !== item.name && c.names.has(n)}
            onDone={done}
        />
    ));
    if (!name || name === item.name) return;
    const destination = childHref(c.folder, name, item.isFolder);
    try {
        await dav.transfer("MOVE", item.href, destination, false);
        c.announce(`Renamed to ${name}.`);
    } catch (error) {
        c.notify("error", await sentence(`rename “${item.name}”`, error, { precondition: `an item named “${name}” is already here` }));
    }
    await c.load(c.folder, destination);
}

export async function transfer(c: ActionContext, method: "MOVE" | "COPY"): Promise<void> {
    const items = c.chosen();
    if (items.length === 0) return;
    const verb = method === "MOVE" ? "move" : "copy";
    const what = items.length === 1 ? `“${items[0]!.name}”` : count(items.length, "item", "items");
    const inside = (href: string) => items.some((i) => i.isFolder && isWithin(href, i.href));
    const destination = await c.ask<string | null>((done) => (
        <FolderDialog
            title={`${verb === "move" ? "Move" : "Copy"} ${what} to…`}
            confirm={verb === "move" ? "Move here" : "Copy here"}
            root={c.root}
            start={c.folder}
            enterable={(h) => !inside(h)}
            refuse={(h) =>
                pathKey(h) === pathKey(c.folder)
                    ? `${items.length === 1 ? "It is" : "They are"} in this folder already.`
                    : inside(h)
                      ? "A folder cannot go inside itself."
                      : null
            }
            onDone={done}
        />
    ));
    if (!destination) return;
    const conflicts: Entry[] = [];
    let moved = 0;
    const run = async (item: Entry, overwrite: boolean) => {
        try {
            await dav.transfer(method, item.href, childHref(destination, item.name, item.isFolder), overwrite);
            moved++;
        } catch (error) {
            if (error instanceof DavError && error.status === 412 && !overwrite) conflicts.push(item);
            else c.notify("error", await sentence(`${verb} “${item.name}”`, error));
        }
    };
    for (const item of items) await run(item, false);
    if (conflicts.length > 0) {
        const where = nameOf(destination) || "Home";
        const replace = await c.ask<boolean>((done) => (
            <ConfirmDialog
                title={conflicts.length === 1 ? `“${conflicts[0]!.name}” is already in “${where}”` : `${conflicts.length} items are already in “${where}”`}
                body={
                    <p>
                        Replace {conflicts.length === 1 ? "it" : "them"} with the {conflicts.length === 1 ? "one" : "ones"} you chose? What is there now will be
                        lost.
                    </p>
                }
                confirm="Replace"
                danger
                onDone={done}
            />
        ));
        if (replace) for (const item of conflicts) await run(item, true);
    }
    if (moved > 0) c.announce(`${verb === "move" ? "Moved" : "Copied"} ${count(moved, "item", "items")} to ${nameOf(destination) || "Home"}.`);
    await c.load(c.folder);
}

export async function remove(c: ActionContext): Promise<void> {
    const items = c.chosen();
    if (items.length === 0) return;
    const folders = items.filter((i) => i.isFolder).length;
    const ok = await c.ask<boolean>((done) => (
        <ConfirmDialog
            title={items.length === 1 ? `Delete “${items[0]!.name}”?` : `Delete ${count(items.length, "item", "items")}?`}
            body={
                <>
                    {items.length > 1 && (
                        <ul class="names">
                            {items.slice(0, 6).map((i) => (
                                <li key={i.href}>{i.name}</li>
                            ))}
                            {items.length > 6 && <li>and {items.length - 6} more</li>}
                        </ul>
                    )}
                    <p>{folders > 0 ? "Folders are deleted with everything in them. " : ""}This cannot be undone.</p>
                </>
            }
            confirm="Delete"
            danger
            onDone={done}
        />
    ));
    if (!ok) return;
    let deleted = 0;
    for (const item of items) {
        try {
            await dav.remove(item.href);
            deleted++;
        } catch (error) {
            c.notify("error", await sentence(`delete “${item.name}”`, error));
        }
    }
    if (deleted > 0) c.announce(`Deleted ${count(deleted, "item", "items")}.`);
    await c.load(c.folder);
}
