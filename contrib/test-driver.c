/*
 * test-driver.c - a miniport-shaped C program that uses ndis-sim-trace.h against stub DDIs and
 * writes the trace of one lifecycle: initialize, a DPC, pause, restart, halt, unload. It has one
 * planted bug: MiniportHaltEx frees the receive ring twice. `ndis-sim check` must accept the trace
 * and report exactly that (Pool_DoubleFree).
 *
 *   test-driver <trace.jsonl>                  general memory and callbacks only
 *   test-driver <trace.jsonl> --all-families   also SG DMA, shared memory and a port
 *
 * Build and run: contrib/build.sh <trace.jsonl> [--all-families]
 */
#include <stdio.h>
#include <string.h>

#include "ndis-standin.h"

/* ---- Stub DDIs: a fake kernel. Addresses are kernel-looking numbers with nothing behind them. --- */

static KIRQL CurrentIrql = PASSIVE_LEVEL;
static ULONG64 NextVirtualAddress = 0xffffc60a1b2c0000ULL;
static ULONG64 NextPhysicalAddress = 0x000000012a400000ULL;

KIRQL KeGetCurrentIrql(void) { return CurrentIrql; }

static PVOID FakeAllocate(ULONG Length) {
    PVOID Address = (PVOID)(ULONG_PTR)NextVirtualAddress;
    NextVirtualAddress += ((ULONG64)Length + 0xfff) & ~0xfffULL;
    return Address;
}

PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag, EX_POOL_PRIORITY Priority) {
    (void)NdisHandle, (void)Tag, (void)Priority;
    return FakeAllocate(Length);
}
VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags) {
    (void)VirtualAddress, (void)Length, (void)MemoryFlags;
}
VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag) {
    (void)NdisHandle, (void)VirtualAddress, (void)Tag;
}
VOID NdisFreeMemoryWithTag(PVOID VirtualAddress, ULONG Tag) { (void)VirtualAddress, (void)Tag; }

NDIS_STATUS NdisMRegisterScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle, PNDIS_SG_DMA_DESCRIPTION DmaDescription,
                                          PNDIS_HANDLE NdisMiniportDmaHandle) {
    (void)MiniportAdapterHandle;
    DmaDescription->ScatterGatherListSize = 4096;
    *NdisMiniportDmaHandle = (NDIS_HANDLE)(ULONG_PTR)0xffffc60a30000000ULL;
    return NDIS_STATUS_SUCCESS;
}
VOID NdisMDeregisterScatterGatherDma(NDIS_HANDLE NdisMiniportDmaHandle) { (void)NdisMiniportDmaHandle; }

VOID NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached, PVOID *VirtualAddress,
                               PNDIS_PHYSICAL_ADDRESS PhysicalAddress) {
    (void)MiniportAdapterHandle, (void)Cached;
    *VirtualAddress = FakeAllocate(Length);
    PhysicalAddress->QuadPart = (LONGLONG)NextPhysicalAddress;
    NextPhysicalAddress += ((ULONG64)Length + 0xfff) & ~0xfffULL;
}
VOID NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached, PVOID VirtualAddress,
                           NDIS_PHYSICAL_ADDRESS PhysicalAddress) {
    (void)MiniportAdapterHandle, (void)Length, (void)Cached, (void)VirtualAddress, (void)PhysicalAddress;
}

NDIS_STATUS NdisMAllocatePort(NDIS_HANDLE NdisMiniportHandle, PNDIS_PORT_CHARACTERISTICS PortCharacteristics) {
    (void)NdisMiniportHandle;
    PortCharacteristics->PortNumber = 1; /* lowest available (SPEC 7.1) */
    return NDIS_STATUS_SUCCESS;
}
NDIS_STATUS NdisMFreePort(NDIS_HANDLE NdisMiniportHandle, NDIS_PORT_NUMBER PortNumber) {
    (void)NdisMiniportHandle, (void)PortNumber;
    return NDIS_STATUS_SUCCESS;
}

/* ---- The trace sink the driver author provides ------------------------------------------------- */

static FILE *TraceFile;

void NdisSimTraceWrite(const char *Line) {
    fputs(Line, TraceFile);
    fputc('\n', TraceFile);
}

#include "ndis-sim-trace.h"

/* ---- The driver ------------------------------------------------------------------------------- */

#define TAG_RX 0x5852494dUL     /* 'MIRX' in memory */
#define TAG_TX 0x5854494dUL     /* 'MITX' */
#define TAG_GLOBAL 0x4c47494dUL /* 'MIGL' */
#define TAG_TEMP 0x504d494dUL   /* 'MIMP' */

typedef struct _ADAPTER {
    NDIS_HANDLE Handle;
    PVOID RxRing;
    PVOID TxRing;
    NDIS_HANDLE DmaHandle;
    PVOID SharedVa;
    NDIS_PHYSICAL_ADDRESS SharedPa;
    NDIS_PORT_NUMBER Port;
} ADAPTER;

static const NDIS_HANDLE Driver = (NDIS_HANDLE)(ULONG_PTR)0xffffc60a10000000ULL;
static PVOID DriverGlobals;
static int AllFamilies;

static void ProcessSGList(void) {}

static NDIS_STATUS InitializeOtherFamilies(ADAPTER *A) {
    NDIS_SG_DMA_DESCRIPTION Dma;
    NDIS_PORT_CHARACTERISTICS Port;
    NDIS_STATUS Status;
    memset(&Dma, 0, sizeof Dma);
    Dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
    Dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
    Dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
    Dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS;
    Dma.MaximumPhysicalMapping = 65536;
    Dma.ProcessSGListHandler = (PVOID)(ULONG_PTR)&ProcessSGList;
    Status = NDIS_SIM_NdisMRegisterScatterGatherDma(A->Handle, &Dma, &A->DmaHandle);
    if (Status != NDIS_STATUS_SUCCESS) return Status;
    NDIS_SIM_NdisMAllocateSharedMemory(A->Handle, 8192, TRUE, &A->SharedVa, &A->SharedPa);
    memset(&Port, 0, sizeof Port);
    Port.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    Port.Header.Revision = NDIS_PORT_CHARACTERISTICS_REVISION_1;
    Port.Header.Size = NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1;
    Port.Type = NdisPortTypeUndefined;
    Port.XmitLinkSpeed = Port.RcvLinkSpeed = ~0ULL; /* NDIS_LINK_SPEED_UNKNOWN */
    Status = NDIS_SIM_NdisMAllocatePort(A->Handle, &Port);
    A->Port = Port.PortNumber;
    return Status;
}

static NDIS_STATUS MiniportInitializeEx(ADAPTER *A, NDIS_HANDLE NdisMiniportHandle) {
    NDIS_STATUS Status = NDIS_STATUS_SUCCESS;
    NDIS_SIM_TRACE_ENTER(MiniportInitializeEx, Driver, NdisMiniportHandle);
    A->Handle = NdisMiniportHandle;
    if (DriverGlobals == 0) {
        DriverGlobals = NDIS_SIM_NdisAllocateMemoryWithTagPriority(Driver, 512, TAG_GLOBAL, NormalPoolPriority);
    }
    A->RxRing = NDIS_SIM_NdisAllocateMemoryWithTagPriority(NdisMiniportHandle, 2048, TAG_RX, NormalPoolPriority);
    A->TxRing = NDIS_SIM_NdisAllocateMemoryWithTagPriority(NdisMiniportHandle, 4096, TAG_TX, NormalPoolPriority);
    if (A->RxRing == 0 || A->TxRing == 0) Status = NDIS_STATUS_RESOURCES;
    /* The receive descriptors are initialized: a write of the whole ring, checked against the block. */
    if (A->RxRing != 0) NDIS_SIM_TRACE_WRITE_ACCESS(A->RxRing, 2048);
    if (Status == NDIS_STATUS_SUCCESS && AllFamilies) Status = InitializeOtherFamilies(A);
    NDIS_SIM_TRACE_INITIALIZE_RETURN(Driver, NdisMiniportHandle, Status);
    return Status;
}

/* A DPC: runs at DISPATCH_LEVEL and uses a scratch block. */
static void MiniportInterruptDpc(ADAPTER *A) {
    PVOID Scratch;
    CurrentIrql = DISPATCH_LEVEL;
    NDIS_SIM_TRACE_ENTER(MiniportInterruptDPC, Driver, A->Handle);
    Scratch = NDIS_SIM_NdisAllocateMemoryWithTagPriority(A->Handle, 128, TAG_TEMP, NormalPoolPriority);
    if (Scratch) NDIS_SIM_NdisFreeMemoryWithTagPriority(A->Handle, Scratch, TAG_TEMP);
    NDIS_SIM_TRACE_EXIT(MiniportInterruptDPC, Driver, A->Handle);
    CurrentIrql = PASSIVE_LEVEL;
}

static NDIS_STATUS MiniportPause(ADAPTER *A) {
    (void)A;
    NDIS_SIM_TRACE_ENTER(MiniportPause, Driver, A->Handle);
    NDIS_SIM_TRACE_EXIT_STATUS(MiniportPause, Driver, A->Handle, NDIS_STATUS_SUCCESS);
    return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS MiniportRestart(ADAPTER *A) {
    (void)A;
    NDIS_SIM_TRACE_ENTER(MiniportRestart, Driver, A->Handle);
    NDIS_SIM_TRACE_EXIT_STATUS(MiniportRestart, Driver, A->Handle, NDIS_STATUS_SUCCESS);
    return NDIS_STATUS_SUCCESS;
}

static void MiniportHaltEx(ADAPTER *A, NDIS_HALT_ACTION HaltAction) {
    (void)HaltAction;
    NDIS_SIM_TRACE_ENTER_ARG(MiniportHaltEx, Driver, A->Handle, HaltAction, HaltAction);
    if (AllFamilies) {
        (void)NDIS_SIM_NdisMFreePort(A->Handle, A->Port);
        NDIS_SIM_NdisMFreeSharedMemory(A->Handle, 8192, TRUE, A->SharedVa, A->SharedPa);
        NDIS_SIM_NdisMDeregisterScatterGatherDma(A->DmaHandle);
    }
    NDIS_SIM_NdisFreeMemory(A->TxRing, 0, 0);
    NDIS_SIM_NdisFreeMemory(A->RxRing, 0, 0);
    /* The planted bug: a second free of the receive ring (a copy-paste left over from a refactoring). */
    NDIS_SIM_NdisFreeMemoryWithTagPriority(A->Handle, A->RxRing, TAG_RX);
    NDIS_SIM_TRACE_HALT_RETURN(Driver, A->Handle);
}

static void MiniportDriverUnload(void) {
    NDIS_SIM_TRACE_ENTER(MiniportDriverUnload, Driver, 0);
    NDIS_SIM_NdisFreeMemoryWithTagPriority(Driver, DriverGlobals, TAG_GLOBAL);
    DriverGlobals = 0;
    NDIS_SIM_TRACE_UNLOAD_RETURN(Driver);
}

int main(int argc, char **argv) {
    ADAPTER Adapter;
    if (argc < 2) {
        fprintf(stderr, "usage: %s <trace.jsonl> [--all-families]\n", argv[0]);
        return 2;
    }
    AllFamilies = argc > 2 && strcmp(argv[2], "--all-families") == 0;
    TraceFile = fopen(argv[1], "w");
    if (TraceFile == 0) {
        perror(argv[1]);
        return 1;
    }
    memset(&Adapter, 0, sizeof Adapter);
    NDIS_SIM_TRACE_HEADER("test-driver");
    if (MiniportInitializeEx(&Adapter, (NDIS_HANDLE)(ULONG_PTR)0xffffc60a20000000ULL) == NDIS_STATUS_SUCCESS) {
        MiniportRestart(&Adapter);
        MiniportInterruptDpc(&Adapter);
        MiniportPause(&Adapter);
        MiniportHaltEx(&Adapter, NdisHaltDeviceDisabled);
    }
    MiniportDriverUnload();
    return fclose(TraceFile) == 0 ? 0 : 1;
}
