// Times MPI_Allreduce(MPI_SUM) of float buffers of the sizes given (bytes), as Kestrel's GradientAverager
// issues them, without Kestrel's packing: the link's latency and bandwidth for Docs/DataParallel.md.
//   mpicc -O2 -o /tmp/allreduce_probe allreduce_probe.c && mpirun -np 2 /tmp/allreduce_probe 4 407084 34016044
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    for (int index = 1; index < argc; index++) {
        long bytes = strtol(argv[index], NULL, 10);
        if (bytes < 4 || bytes > (1L << 30)) {
            if (rank == 0) fprintf(stderr, "allreduce_probe: size %s must be 4 bytes to 1 GiB\n", argv[index]);
            continue;
        }
        int count = (int)(bytes / 4);
        float *buffer = calloc((size_t)count, sizeof(float));
        if (buffer == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
        int repeats = bytes > (1 << 24) ? 5 : bytes > (1 << 18) ? 30 : 300;
        MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int repeat = 0; repeat < repeats; repeat++) {
            MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        }
        double seconds = (MPI_Wtime() - start) / repeats;
        if (rank == 0) printf("allreduce %ld bytes: %.1f us (%.3f GB/s algorithm bandwidth)\n", bytes, seconds * 1e6, bytes / seconds / 1e9);
        free(buffer);
    }
    MPI_Finalize();
    return 0;
}
