// The page: where you are, what is here, what you can do with it, and what is being uploaded.
import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import * as dav from "../dav";
import type { Entry } from "../dav";
import { sentence } from "../errors";
import { count, formatSize } from "../format";
import { isWithin, nameOf, parentOf, pathKey, pathOf, segments } from "../paths";
import { fromDrop, fromInput, type Collected } from "../upload/collect";
import { needsQuestions, plan, requests, type Answers } from "../upload/plan";
import * as memory from "../upload/resume";
import { Uploader, type Group } from "../upload/uploader";
import * as actions from "./actions";
import { ConfirmDialog, UploadQuestions } from "./Dialogs";
import { FileGrid, sortEntries, type Sort } from "./FileGrid";
import { Ghosts, type Ghost } from "./Ghosts";
import { Icon } from "./icons";
import { Header, type Notice } from "./Header";
import { UploadPanel } from "./UploadPanel";

let noticeId = 0;
const ghostPollMs = 4000;

export function App(props: { root: string; folder: string }): JSX.Element {
    const { root } = props;
    const uploader = useMemo(() => new Uploader(), []);
    const [folder, setFolder] = useState(props.folder);
    const [entries, setEntries] = useState<Entry[] | null>(null);
    const [loadError, setLoadError] = useState<string | null>(null);
    const [sort, setSort] = useState<Sort>({ key: "name", ascending: true });
    const [filter, setFilter] = useState("");
    const [selected, setSelected] = useState<Set<string>>(new Set());
    const [active, setActive] = useState(-1);
    const [notices, setNotices] = useState<Notice[]>([]);
    const [dialog, setDialog] = useState<JSX.Element | null>(null);
    const [ghosts, setGhosts] = useState<Ghost[]>([]);
    const [dragging, setDragging] = useState(false);
    const [announcement, setAnnouncement] = useState("");
    const folderRef = useRef(folder);
    folderRef.current = folder;
    const loadSeq = useRef(0);
    const filesInput = useRef<HTMLInputElement>(null);
    const folderInput = useRef<HTMLInputElement>(null);
    const header = useRef<HTMLElement>(null);
    const refreshTimer = useRef(0);

    const notify = (kind: Notice["kind"], text: string) => setNotices((n) => [...n.slice(-4), { id: ++noticeId, kind, text }]);
    const announce = (text: string) => setAnnouncement(text);

    function ask<T>(render: (done: (value: T) => void) => JSX.Element): Promise<T> {
        return new Promise((resolve) =>
            setDialog(
                render((value) => {
                    setDialog(null);
                    resolve(value);
                }),
            ),
        );
    }

    const load = async (href: string, select?: string) => {
        const seq = ++loadSeq.current;
        try {
            const { children } = await dav.list(href);
            if (seq !== loadSeq.current) return;
            setEntries(children);
            setLoadError(null);
            if (select) setSelected(new Set([select]));
            else setSelected((s) => new Set(children.filter((c) => s.has(c.href)).map((c) => c.href)));
        } catch (error) {
            if (seq !== loadSeq.current) return;
            setEntries([]);
            setLoadError(await sentence("open this folder", error));
        }
    };

    const refreshSoon = () => {
        clearTimeout(refreshTimer.current);
        refreshTimer.current = window.setTimeout(() => void load(folderRef.current), 400);
    };

    const navigate = (href: string, push = true) => {
        const path = pathOf(href);
        if (push && pathKey(path) !== pathKey(location.pathname)) history.pushState(null, "", path);
        if (pathKey(path) === pathKey(folderRef.current)) return;
        setFolder(path);
        setEntries(null);
        setSelected(new Set());
        setActive(-1);
        setFilter("");
        setGhosts([]);
    };

    useEffect(() => {
        const name = nameOf(folder);
        document.title = name ? `${name} – ${location.host}` : location.host;
        void load(folder);
    }, [folder]);

    useEffect(() => {
        memory.prune();
        const onPop = () => navigate(location.pathname, false);
        window.addEventListener("popstate", onPop);
        uploader.detect(root);
        const onBeforeUnload = (e: BeforeUnloadEvent) => {
            if (uploader.uploads.some((u) => u.state === "running" || u.state === "queued" || u.state === "waiting")) e.preventDefault();
        };
        window.addEventListener("beforeunload", onBeforeUnload);
        return () => {
            window.removeEventListener("popstate", onPop);
            window.removeEventListener("beforeunload", onBeforeUnload);
        };
    }, []);

    useEffect(() => {
        uploader.onSettled = (u) => {
            if (u.state === "done") announce(`${u.path} uploaded.`);
            if (u.state === "failed") announce(`Upload of ${u.path} failed: ${u.message}.`);
            if (isWithin(parentOf(u.url), folderRef.current) || isWithin(folderRef.current, parentOf(u.url))) refreshSoon();
        };
    }, []);

    // Uploads in progress here that this tab is not sending: other tabs, other people, or a closed page.
    useEffect(() => {
        let live = true;
        const poll = async () => {
            if (document.hidden) return;
            try {
                const all = await dav.uploadProgress(folder);
                if (!live) return;
                const mine = new Set(uploader.uploads.filter((u) => u.active).map((u) => pathKey(u.url)));
                const here = all.filter((u) => pathKey(parentOf(u.href)) === pathKey(folder) && !mine.has(pathKey(u.href)));
                setGhosts((before) => {
                    if (before.some((b) => !here.some((h) => h.href === b.href))) refreshSoon();
                    // Someone is sending it when its bytes grew since the last look.
                    return here.map((g) => ({ ...g, moving: before.some((b) => b.href === g.href && b.bytes !== g.bytes) }));
                });
            } catch {
                // The next poll tries again.
            }
        };
        void poll();
        const timer = setInterval(() => void poll(), ghostPollMs);
        const unsubscribe = uploader.subscribe(() =>
            setGhosts((g) => g.filter((x) => !uploader.uploads.some((u) => u.active && pathKey(u.url) === pathKey(x.href)))),
        );
        return () => {
            live = false;
            clearInterval(timer);
            unsubscribe();
        };
    }, [folder]);

    // The sticky header's height, for the grid's own sticky column headings below it.
    useEffect(() => {
        const observer = new ResizeObserver(() => document.documentElement.style.setProperty("--head", `${header.current?.offsetHeight ?? 0}px`));
        if (header.current) observer.observe(header.current);
        return () => observer.disconnect();
    }, []);

    // Drop files or folders anywhere on the page.
    useEffect(() => {
        const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");
        const over = (e: DragEvent) => {
            if (!hasFiles(e)) return;
            e.preventDefault();
            if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
            setDragging(true);
        };
        const leave = (e: DragEvent) => {
            if (e.relatedTarget === null) setDragging(false);
        };
        const drop = (e: DragEvent) => {
            if (!hasFiles(e) || !e.dataTransfer) return;
            e.preventDefault();
            setDragging(false);
            const target = folderRef.current;
            fromDrop(e.dataTransfer).then(
                (collected) => void startUpload(collected, target),
                () => notify("error", "Could not read what was dropped."),
            );
        };
        document.addEventListener("dragenter", over);
        document.addEventListener("dragover", over);
        document.addEventListener("dragleave", leave);
        document.addEventListener("drop", drop);
        return () => {
            document.removeEventListener("dragenter", over);
            document.removeEventListener("dragover", over);
            document.removeEventListener("dragleave", leave);
            document.removeEventListener("drop", drop);
        };
    }, []);

    const visible = useMemo(() => {
        const needle = filter.trim().toLowerCase();
        const matching = needle ? (entries ?? []).filter((e) => e.name.toLowerCase().includes(needle)) : (entries ?? []);
        const sorted = sortEntries(matching, sort);
        performance.mark("davit-listing-sorted");
        return sorted;
    }, [entries, filter, sort]);

    // The rows are in the page and laid out; the browser paints them next. Tests read this mark.
    useLayoutEffect(() => {
        if (entries !== null) performance.mark("davit-listing-shown");
    }, [entries]);

    useEffect(() => {
        if (active >= visible.length) setActive(visible.length - 1);
    }, [visible.length]);

    const names = useMemo(() => new Set((entries ?? []).map((e) => e.name)), [entries]);
    const chosen = (): Entry[] => {
        const picked = visible.filter((e) => selected.has(e.href));
        return picked.length > 0 ? picked : active >= 0 && visible[active] ? [visible[active]!] : [];
    };
    const selectedEntries = visible.filter((e) => selected.has(e.href));

    async function startUpload(collected: Collected, target: string): Promise<void> {
        if (collected.files.length === 0 && collected.folders.length === 0) return;
        let listing = entries ?? [];
        if (pathKey(target) !== pathKey(folderRef.current) || entries === null) {
            try {
                listing = (await dav.list(target)).children;
            } catch (error) {
                notify("error", await sentence("upload here", error));
                return;
            }
        }
        const p = await plan(collected, target, listing);
        for (const name of p.blocked) notify("error", `Could not upload “${name}”: something of another kind (a file or a folder) has that name here.`);
        let answers: Answers = { replace: false, merge: true, resumeUnfinished: true };
        if (needsQuestions(p)) {
            const given = await ask<Answers | null>((done) => <UploadQuestions plan={p} onDone={done} />);
            if (!given) return;
            answers = given;
        }
        // The same file picked twice would have two uploads writing one URL.
        const busy = new Set(uploader.uploads.filter((u) => u.active).map((u) => pathKey(u.url)));
        const list = requests(p, answers).filter((r) => {
            if (!busy.has(pathKey(r.url))) return true;
            notify("info", `“${r.path}” is already being uploaded.`);
            return false;
        });
        uploader.add(list);
        if (list.length > 0) announce(`Uploading ${count(list.length, "file", "files")}.`);
        if (p.folders.length > 0) refreshSoon();
    }

    const openEntry = (entry: Entry) => {
        if (entry.isFolder) navigate(entry.href);
        else location.assign(entry.href);
    };

    const goParent = () => {
        if (pathKey(folder) !== pathKey(root)) navigate(parentOf(folder));
    };

    async function cancelGroup(group: Group): Promise<void> {
        const done = group.uploads.filter((u) => u.state === "done").length;
        const ok = await ask<boolean>((finish) => (
            <ConfirmDialog
                title={`Cancel the upload of “${group.name}”?`}
                body={<p>{done > 0 ? `The ${count(done, "file", "files")} already uploaded will be removed as well.` : "Nothing of it will be kept."}</p>}
                confirm="Cancel upload"
                danger
                onDone={finish}
            />
        ));
        if (!ok) return;
        await uploader.cancelGroup(group);
        announce(`Upload of ${group.name} cancelled.`);
        refreshSoon();
    }

    function resumeGhost(ghost: Ghost): void {
        const input = document.createElement("input");
        input.type = "file";
        input.addEventListener("change", () => {
            const file = input.files?.[0];
            if (!file) return;
            if (file.name !== ghost.name || (ghost.total >= 0 && file.size !== ghost.total)) {
                notify("error", `“${file.name}” (${formatSize(file.size)}) is not the file being uploaded as “${ghost.name}” (${formatSize(ghost.total)}).`);
                return;
            }
            void startUpload({ files: [{ file, path: ghost.name }], folders: [] }, folderRef.current);
        });
        input.click();
    }

    async function discardGhost(ghost: Ghost): Promise<void> {
        const ok = await ask<boolean>((done) => (
            <ConfirmDialog
                title={`Discard the upload of “${ghost.name}”?`}
                body={<p>The bytes the server has of it are deleted. Whoever is sending it will have to start over.</p>}
                confirm="Discard"
                danger
                onDone={done}
            />
        ));
        if (!ok) return;
        try {
            await dav.cancelUpload(ghost.href);
            memory.forget(ghost.href);
            setGhosts((g) => g.filter((x) => x.href !== ghost.href));
        } catch (error) {
            notify("error", await sentence(`discard the upload of “${ghost.name}”`, error));
        }
    }

    const context: actions.ActionContext = { root, folder, names, chosen, ask, notify, announce, load };
    const rootDepth = segments(root).length;
    const crumbNames = segments(folder).slice(rootDepth);
    const crumbs = [
        { name: "Home", href: root },
        ...crumbNames.map((name, i) => ({
            name,
            href:
                root +
                crumbNames
                    .slice(0, i + 1)
                    .map(encodeURIComponent)
                    .join("/") +
                "/",
        })),
    ];
    const here = crumbNames[crumbNames.length - 1] ?? "Home";
    const files = (entries ?? []).filter((e) => !e.isFolder);
    const total = files.reduce((sum, e) => sum + e.size, 0);

    return (
        <div class="app">
            <Header
                headerRef={header}
                crumbs={crumbs}
                onNavigate={navigate}
                filter={filter}
                onFilter={setFilter}
                selected={selectedEntries}
                onUploadFiles={() => filesInput.current?.click()}
                onUploadFolder={() => folderInput.current?.click()}
                onNewFolder={() => void actions.newFolder(context)}
                onRename={() => void actions.rename(context)}
                onMove={() => void actions.transfer(context, "MOVE")}
                onCopy={() => void actions.transfer(context, "COPY")}
                onDelete={() => void actions.remove(context)}
                notices={notices}
                onDismiss={(id) => setNotices((all) => all.filter((x) => x.id !== id))}
            >
                <input ref={filesInput} type="file" multiple hidden onChange={(e) => pick(e.target as HTMLInputElement)} />
                <input ref={folderInput} type="file" multiple hidden {...{ webkitdirectory: "" }} onChange={(e) => pick(e.target as HTMLInputElement)} />
            </Header>
            <main aria-busy={entries === null ? "true" : "false"}>
                <h1 class="visually-hidden">{here}</h1>
                <Ghosts ghosts={ghosts} onResume={resumeGhost} onDiscard={(g) => void discardGhost(g)} />
                {
                    // The grid stays in the page while a folder loads, so keyboard focus stays on it when moving between folders.
                    <FileGrid
                        entries={visible}
                        label={`Contents of ${here}`}
                        sort={sort}
                        onSort={setSort}
                        selected={selected}
                        onSelect={setSelected}
                        active={active}
                        onActive={setActive}
                        onOpen={openEntry}
                        onParent={goParent}
                        onDelete={() => void actions.remove(context)}
                        onRename={() => void actions.rename(context)}
                        empty={
                            entries === null ? (
                                <p>Loading…</p>
                            ) : loadError ? (
                                <p class="problem">{loadError}</p>
                            ) : filter ? (
                                <p>No names here contain “{filter}”.</p>
                            ) : (
                                <p>This folder is empty. Drop files or folders here, or use Upload.</p>
                            )
                        }
                    />
                }
                {entries !== null && (
                    <p class="summary">
                        {filter ? `${visible.length.toLocaleString()} of ` : ""}
                        {count(entries.length, "item", "items")}
                        {files.length > 0 ? `, ${count(files.length, "file", "files")} (${formatSize(total)})` : ""}
                        {selectedEntries.length > 0 ? ` · ${selectedEntries.length.toLocaleString()} selected` : ""}
                    </p>
                )}
            </main>
            <UploadPanel uploader={uploader} onCancelGroup={(g) => void cancelGroup(g)} />
            {dragging && (
                <div class="drop-overlay" aria-hidden="true">
                    <div>
                        <Icon name="upload" />
                        <p>Drop to upload to “{here}”</p>
                    </div>
                </div>
            )}
            {dialog}
            <div class="visually-hidden" aria-live="polite" role="status">
                {announcement}
            </div>
        </div>
    );

    function pick(input: HTMLInputElement): void {
        const collected = fromInput(input.files);
        input.value = "";
        void startUpload(collected, folderRef.current);
    }
}
