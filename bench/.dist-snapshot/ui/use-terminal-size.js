import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
// A stream that is no terminal reports no size: draw for the smallest supported one.
const fallback = { columns: 80, rows: 24 };
/** The terminal's size, updated on resize. */
export function useTerminalSize() {
    const { stdout } = useStdout();
    const [size, setSize] = useState(() => measure(stdout));
    useEffect(() => {
        const onResize = () => {
            const next = measure(stdout);
            setSize(previous => (previous.columns === next.columns && previous.rows === next.rows ? previous : next));
        };
        onResize();
        stdout.on('resize', onResize);
        return () => {
            stdout.off('resize', onResize);
        };
    }, [stdout]);
    return size;
}
function measure(stdout) {
    return { columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows };
}
