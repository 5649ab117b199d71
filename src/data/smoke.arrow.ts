import {tableFromArrays, tableToIPC} from "apache-arrow";
process.stdout.write(tableToIPC(tableFromArrays({x: Int32Array.from([1, 2, 3, 4])}), "file"));
