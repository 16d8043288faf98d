/** The sampled processes as a tree, parents before children, children by pid; strays last at depth 0. */
export function processTree(processes, rootPid) {
    const children = new Map();
    for (const process of processes) {
        const siblings = children.get(process.ppid) ?? [];
        siblings.push(process);
        children.set(process.ppid, siblings);
    }
    for (const siblings of children.values())
        siblings.sort((a, b) => a.pid - b.pid);
    const rows = [];
    const seen = new Set();
    const visit = (process, depth) => {
        // A pid reused mid-scan could make a cycle: each process is drawn once.
        if (seen.has(process.pid))
            return;
        seen.add(process.pid);
        rows.push({ process, depth });
        for (const child of children.get(process.pid) ?? [])
            visit(child, depth + 1);
    };
    const root = processes.find(process => process.pid === rootPid);
    if (root)
        visit(root, 0);
    for (const process of processes)
        if (!seen.has(process.pid))
            visit(process, 0);
    return rows;
}
