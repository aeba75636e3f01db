/*
 * ndis-sim-trace.h - log a C miniport's NDIS calls as an ndis-sim trace (format v1, see
 * docs/trace-format.md), so that `ndis-sim check trace.jsonl` judges them with the same rules as a
 * simulated run.
 *
 * Use:
 *   1. Provide the sink: a function `void NdisSimTraceWrite(const char *Line)` that appends Line
 *      and a newline to your log (a nonpaged ring buffer drained at PASSIVE_LEVEL, for instance:
 *      it is called at the caller's IRQL, up to DISPATCH_LEVEL, possibly on several processors at
 *      once, so it must serialize). Or define NDIS_SIM_TRACE_WRITE(Line) before including this file.
 *   2. Call NDIS_SIM_TRACE_HEADER("mydriver") once, before any other trace macro.
 *   3. Call the DDIs through the NDIS_SIM_ wrappers (same parameters, same result), e.g.
 *        p = NDIS_SIM_NdisAllocateMemoryWithTagPriority(h, 256, 'maDN', NormalPoolPriority);
 *   4. Mark each callback: NDIS_SIM_TRACE_ENTER(MiniportPause, Driver, Adapter) first thing,
 *      NDIS_SIM_TRACE_EXIT_STATUS(MiniportPause, Driver, Adapter, Status) before returning. For
 *      MiniportInitializeEx, MiniportHaltEx and MiniportDriverUnload use the _RETURN macros, which
 *      also write the lifecycle edge where leaks are judged.
 *
 * Optional hooks (define before including): NDIS_SIM_CURRENT_IRQL() (default KeGetCurrentIrql()),
 * NDIS_SIM_TRACE_SEQUENCE() (an increasing ULONG64, e.g. InterlockedIncrement64 of a global),
 * NDIS_SIM_TRACE_THREAD() (e.g. KeGetCurrentProcessorNumberEx(NULL)), NDIS_SIM_TRACE_LINE_MAX
 * (bytes per line on the stack, default 768; a longer line is cut and `check` reports it).
 * Define NDIS_SIM_TRACE_DISABLE to compile every macro to the plain DDI call and nothing else.
 *
 * Include after <ndis.h> (or contrib/ndis-standin.h). Needs C99 or later; no C library calls.
 */
#ifndef NDIS_SIM_TRACE_H
#define NDIS_SIM_TRACE_H

#ifndef NDIS_SIM_TRACE_DISABLE

#ifndef NDIS_SIM_TRACE_WRITE
void NdisSimTraceWrite(const char *Line);
#define NDIS_SIM_TRACE_WRITE(Line) NdisSimTraceWrite(Line)
#endif
#ifndef NDIS_SIM_CURRENT_IRQL
#define NDIS_SIM_CURRENT_IRQL() KeGetCurrentIrql()
#endif
#ifndef NDIS_SIM_TRACE_LINE_MAX
#define NDIS_SIM_TRACE_LINE_MAX 768
#endif

/* ---- A line of JSON, built on the stack ------------------------------------------------------ */

typedef struct _NDIS_SIM_LINE {
    unsigned Length;
    int First; /* no member written yet in the innermost object */
    char Text[NDIS_SIM_TRACE_LINE_MAX];
} NDIS_SIM_LINE;

static inline void NdisSimLine_Char(NDIS_SIM_LINE *L, char C) {
    if (L->Length + 1 < sizeof(L->Text)) L->Text[L->Length++] = C;
}

static inline void NdisSimLine_Raw(NDIS_SIM_LINE *L, const char *S) {
    while (*S) NdisSimLine_Char(L, *S++);
}

/* A JSON string, escaped. */
static inline void NdisSimLine_String(NDIS_SIM_LINE *L, const char *S) {
    static const char Digits[] = "0123456789abcdef";
    NdisSimLine_Char(L, '"');
    for (; *S; S++) {
        unsigned char C = (unsigned char)*S;
        if (C == '"' || C == '\\') {
            NdisSimLine_Char(L, '\\');
            NdisSimLine_Char(L, (char)C);
        } else if (C < 0x20) {
            NdisSimLine_Raw(L, "\\u00");
            NdisSimLine_Char(L, Digits[C >> 4]);
            NdisSimLine_Char(L, Digits[C & 15]);
        } else {
            NdisSimLine_Char(L, (char)C);
        }
    }
    NdisSimLine_Char(L, '"');
}

/* A 64-bit value as the format's hex string: "0xffffc60a1b2c3000". */
static inline void NdisSimLine_Hex(NDIS_SIM_LINE *L, ULONG64 V) {
    static const char Digits[] = "0123456789abcdef";
    char Buffer[16];
    int N = 0;
    do {
        Buffer[N++] = Digits[V & 15];
        V >>= 4;
    } while (V != 0);
    NdisSimLine_Raw(L, "\"0x");
    while (N > 0) NdisSimLine_Char(L, Buffer[--N]);
    NdisSimLine_Char(L, '"');
}

static inline void NdisSimLine_Decimal(NDIS_SIM_LINE *L, ULONG64 V) {
    char Buffer[20];
    int N = 0;
    do {
        Buffer[N++] = (char)('0' + V % 10);
        V /= 10;
    } while (V != 0);
    while (N > 0) NdisSimLine_Char(L, Buffer[--N]);
}

/* "Name": inside the current object, with the comma it needs. */
static inline void NdisSimLine_Key(NDIS_SIM_LINE *L, const char *Name) {
    if (!L->First) NdisSimLine_Char(L, ',');
    L->First = 0;
    NdisSimLine_String(L, Name);
    NdisSimLine_Char(L, ':');
}

static inline void NdisSimLine_Open(NDIS_SIM_LINE *L, const char *Name) {
    if (Name) NdisSimLine_Key(L, Name);
    NdisSimLine_Char(L, '{');
    L->First = 1;
}

static inline void NdisSimLine_Close(NDIS_SIM_LINE *L) {
    NdisSimLine_Char(L, '}');
    L->First = 0;
}

static inline void NdisSimLine_U(NDIS_SIM_LINE *L, const char *Name, ULONG64 V) {
    NdisSimLine_Key(L, Name);
    NdisSimLine_Decimal(L, V);
}

static inline void NdisSimLine_X(NDIS_SIM_LINE *L, const char *Name, ULONG64 V) {
    NdisSimLine_Key(L, Name);
    NdisSimLine_Hex(L, V);
}

static inline void NdisSimLine_P(NDIS_SIM_LINE *L, const char *Name, const void *P) {
    NdisSimLine_X(L, Name, (ULONG64)(ULONG_PTR)P);
}

/* An NDIS_STATUS as unsigned 32-bit hex. */
static inline void NdisSimLine_Status(NDIS_SIM_LINE *L, const char *Name, NDIS_STATUS Status) {
    NdisSimLine_X(L, Name, (ULONG)Status);
}

/* Starts an event line: {"kind":Kind plus the optional sequence number and thread. */
static inline void NdisSimLine_Begin(NDIS_SIM_LINE *L, const char *Kind) {
    L->Length = 0;
    NdisSimLine_Open(L, 0);
    NdisSimLine_Key(L, "kind");
    NdisSimLine_String(L, Kind);
#ifdef NDIS_SIM_TRACE_SEQUENCE
    NdisSimLine_U(L, "seq", (ULONG64)(NDIS_SIM_TRACE_SEQUENCE()));
#endif
#ifdef NDIS_SIM_TRACE_THREAD
    NdisSimLine_U(L, "thread", (ULONG64)(NDIS_SIM_TRACE_THREAD()));
#endif
}

/* {"kind":"call","ddi":Ddi,"irql":Irql,"args":{ */
static inline void NdisSimLine_Call(NDIS_SIM_LINE *L, const char *Ddi, KIRQL Irql) {
    NdisSimLine_Begin(L, "call");
    NdisSimLine_Key(L, "ddi");
    NdisSimLine_String(L, Ddi);
    NdisSimLine_U(L, "irql", Irql);
    NdisSimLine_Open(L, "args");
}

/* Closes the line and hands it to the sink. */
static inline void NdisSimLine_End(NDIS_SIM_LINE *L) {
    NdisSimLine_Close(L);
    L->Text[L->Length] = '\0';
    NDIS_SIM_TRACE_WRITE(L->Text);
}

static inline void NdisSimLine_Header(NDIS_SIM_LINE *L, const char *Name, const NDIS_OBJECT_HEADER *H) {
    NdisSimLine_Open(L, Name);
    NdisSimLine_U(L, "Type", H->Type);
    NdisSimLine_U(L, "Revision", H->Revision);
    NdisSimLine_U(L, "Size", H->Size);
    NdisSimLine_Close(L);
}

/* ---- Header, callbacks, IRQL, lifecycle edges ------------------------------------------------- */

static inline void NdisSimTrace_Header(const char *DriverName) {
    NDIS_SIM_LINE L;
    L.Length = 0;
    NdisSimLine_Open(&L, 0);
    NdisSimLine_Key(&L, "format");
    NdisSimLine_String(&L, "ndis-sim-trace");
    NdisSimLine_U(&L, "version", 1);
    NdisSimLine_Key(&L, "producer");
    NdisSimLine_String(&L, "ndis-sim-trace.h 1");
    NdisSimLine_U(&L, "pointerSize", sizeof(void *));
    NdisSimLine_Open(&L, "driver");
    NdisSimLine_Key(&L, "name");
    NdisSimLine_String(&L, DriverName);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
}

/* ArgName may be 0 (no argument logged). */
static inline void NdisSimTrace_Enter(const char *Callback, NDIS_HANDLE Driver, NDIS_HANDLE Adapter,
                                      const char *ArgName, ULONG64 ArgValue) {
    NDIS_SIM_LINE L;
    NdisSimLine_Begin(&L, "enter");
    NdisSimLine_Key(&L, "callback");
    NdisSimLine_String(&L, Callback);
    NdisSimLine_P(&L, "driver", Driver);
    NdisSimLine_P(&L, "adapter", Adapter);
    NdisSimLine_U(&L, "irql", NDIS_SIM_CURRENT_IRQL());
    if (ArgName) {
        NdisSimLine_Open(&L, "args");
        NdisSimLine_U(&L, ArgName, ArgValue);
        NdisSimLine_Close(&L);
    }
    NdisSimLine_End(&L);
}

static inline void NdisSimTrace_Exit(const char *Callback, NDIS_HANDLE Driver, NDIS_HANDLE Adapter,
                                     int HasStatus, NDIS_STATUS Status) {
    NDIS_SIM_LINE L;
    NdisSimLine_Begin(&L, "exit");
    NdisSimLine_Key(&L, "callback");
    NdisSimLine_String(&L, Callback);
    NdisSimLine_P(&L, "driver", Driver);
    NdisSimLine_P(&L, "adapter", Adapter);
    NdisSimLine_U(&L, "irql", NDIS_SIM_CURRENT_IRQL());
    if (HasStatus) NdisSimLine_Status(&L, "status", Status);
    NdisSimLine_End(&L);
}

/* Edge: "initializeFailed", "haltReturned" or "driverUnload" (Adapter NULL). */
static inline void NdisSimTrace_Edge(const char *Edge, NDIS_HANDLE Driver, NDIS_HANDLE Adapter) {
    NDIS_SIM_LINE L;
    NdisSimLine_Begin(&L, "edge");
    NdisSimLine_Key(&L, "edge");
    NdisSimLine_String(&L, Edge);
    NdisSimLine_P(&L, "driver", Driver);
    if (Adapter) NdisSimLine_P(&L, "adapter", Adapter);
    NdisSimLine_End(&L);
}

static inline void NdisSimTrace_Irql(KIRQL Irql) {
    NDIS_SIM_LINE L;
    NdisSimLine_Begin(&L, "irql");
    NdisSimLine_U(&L, "irql", Irql);
    NdisSimLine_End(&L);
}

/* The driver read (Write 0) or wrote (Write 1) Size bytes at Address, in function Op. */
static inline void NdisSimTrace_Access(const char *Op, const void *Address, ULONG64 Size, int Write) {
    NDIS_SIM_LINE L;
    NdisSimLine_Begin(&L, "access");
    NdisSimLine_Key(&L, "op");
    NdisSimLine_String(&L, Op);
    NdisSimLine_P(&L, "address", Address);
    NdisSimLine_U(&L, "size", Size);
    NdisSimLine_Key(&L, "write");
    NdisSimLine_Raw(&L, Write ? "true" : "false");
    NdisSimLine_End(&L);
}

#define NDIS_SIM_TRACE_HEADER(DriverName) NdisSimTrace_Header(DriverName)
#define NDIS_SIM_TRACE_ENTER(Callback, Driver, Adapter) NdisSimTrace_Enter(#Callback, Driver, Adapter, 0, 0)
/* One integer argument, e.g. NDIS_SIM_TRACE_ENTER_ARG(MiniportHaltEx, D, A, HaltAction, HaltAction). */
#define NDIS_SIM_TRACE_ENTER_ARG(Callback, Driver, Adapter, ArgName, Value) \
    NdisSimTrace_Enter(#Callback, Driver, Adapter, #ArgName, (ULONG64)(Value))
#define NDIS_SIM_TRACE_EXIT(Callback, Driver, Adapter) NdisSimTrace_Exit(#Callback, Driver, Adapter, 0, 0)
#define NDIS_SIM_TRACE_EXIT_STATUS(Callback, Driver, Adapter, Status) \
    NdisSimTrace_Exit(#Callback, Driver, Adapter, 1, Status)
/* After KeRaiseIrql / KeLowerIrql and the like: log the IRQL now in effect. */
#define NDIS_SIM_TRACE_IRQL() NdisSimTrace_Irql(NDIS_SIM_CURRENT_IRQL())
#define NDIS_SIM_TRACE_EDGE(Edge, Driver, Adapter) NdisSimTrace_Edge(#Edge, Driver, Adapter)
/* Before touching memory you want checked (a descriptor, a buffer): use after free, overruns, NULL. */
#define NDIS_SIM_TRACE_READ_ACCESS(Address, Size) NdisSimTrace_Access(__func__, Address, Size, 0)
#define NDIS_SIM_TRACE_WRITE_ACCESS(Address, Size) NdisSimTrace_Access(__func__, Address, Size, 1)

/* MiniportInitializeEx returns Status: a failure is the edge where everything must be released. */
#define NDIS_SIM_TRACE_INITIALIZE_RETURN(Driver, Adapter, Status)                    \
    do {                                                                             \
        NDIS_STATUS NdisSimStatus_ = (Status);                                       \
        NdisSimTrace_Exit("MiniportInitializeEx", Driver, Adapter, 1, NdisSimStatus_); \
        if (NdisSimStatus_ != NDIS_STATUS_SUCCESS)                                   \
            NdisSimTrace_Edge("initializeFailed", Driver, Adapter);                  \
    } while (0)
#define NDIS_SIM_TRACE_HALT_RETURN(Driver, Adapter)                   \
    do {                                                              \
        NdisSimTrace_Exit("MiniportHaltEx", Driver, Adapter, 0, 0);   \
        NdisSimTrace_Edge("haltReturned", Driver, Adapter);           \
    } while (0)
#define NDIS_SIM_TRACE_UNLOAD_RETURN(Driver)                              \
    do {                                                                  \
        NdisSimTrace_Exit("MiniportDriverUnload", Driver, 0, 0, 0);       \
        NdisSimTrace_Edge("driverUnload", Driver, 0);                     \
    } while (0)

/* ---- General memory (SPEC 3) -------------------------------------------------------------------- */

static inline PVOID NdisSim_NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                                              EX_POOL_PRIORITY Priority) {
    KIRQL Irql = NDIS_SIM_CURRENT_IRQL();
    PVOID VirtualAddress = NdisAllocateMemoryWithTagPriority(NdisHandle, Length, Tag, Priority);
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisAllocateMemoryWithTagPriority", Irql);
    NdisSimLine_P(&L, "NdisHandle", NdisHandle);
    NdisSimLine_U(&L, "Length", Length);
    NdisSimLine_X(&L, "Tag", Tag);
    NdisSimLine_U(&L, "Priority", (ULONG)Priority);
    NdisSimLine_Close(&L);
    NdisSimLine_Open(&L, "result");
    NdisSimLine_P(&L, "VirtualAddress", VirtualAddress);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
    return VirtualAddress;
}

/* Frees are logged before the call, so a trace shows the offending free even if NDIS bug-checks in it. */
static inline VOID NdisSim_NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags) {
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisFreeMemory", NDIS_SIM_CURRENT_IRQL());
    NdisSimLine_P(&L, "VirtualAddress", VirtualAddress);
    NdisSimLine_U(&L, "Length", Length);
    NdisSimLine_U(&L, "MemoryFlags", MemoryFlags);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
    NdisFreeMemory(VirtualAddress, Length, MemoryFlags);
}

static inline VOID NdisSim_NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag) {
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisFreeMemoryWithTagPriority", NDIS_SIM_CURRENT_IRQL());
    NdisSimLine_P(&L, "NdisHandle", NdisHandle);
    NdisSimLine_P(&L, "VirtualAddress", VirtualAddress);
    NdisSimLine_X(&L, "Tag", Tag);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
    NdisFreeMemoryWithTagPriority(NdisHandle, VirtualAddress, Tag);
}

static inline VOID NdisSim_NdisFreeMemoryWithTag(PVOID VirtualAddress, ULONG Tag) {
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisFreeMemoryWithTag", NDIS_SIM_CURRENT_IRQL());
    NdisSimLine_P(&L, "VirtualAddress", VirtualAddress);
    NdisSimLine_X(&L, "Tag", Tag);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
    NdisFreeMemoryWithTag(VirtualAddress, Tag);
}

/* ---- Scatter-gather DMA (SPEC 4.1, 4.2) --------------------------------------------------------- */

static inline NDIS_STATUS NdisSim_NdisMRegisterScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle,
                                                                PNDIS_SG_DMA_DESCRIPTION DmaDescription,
                                                                PNDIS_HANDLE NdisMiniportDmaHandle) {
    KIRQL Irql = NDIS_SIM_CURRENT_IRQL();
    NDIS_STATUS Status = NdisMRegisterScatterGatherDma(MiniportAdapterHandle, DmaDescription, NdisMiniportDmaHandle);
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisMRegisterScatterGatherDma", Irql);
    NdisSimLine_P(&L, "MiniportAdapterHandle", MiniportAdapterHandle);
    if (DmaDescription) {
        NdisSimLine_Open(&L, "DmaDescription");
        NdisSimLine_Header(&L, "Header", &DmaDescription->Header);
        NdisSimLine_X(&L, "Flags", DmaDescription->Flags);
        NdisSimLine_U(&L, "MaximumPhysicalMapping", DmaDescription->MaximumPhysicalMapping);
        NdisSimLine_P(&L, "ProcessSGListHandler", DmaDescription->ProcessSGListHandler);
        NdisSimLine_P(&L, "SharedMemAllocateCompleteHandler", DmaDescription->SharedMemAllocateCompleteHandler);
        NdisSimLine_Close(&L);
    } else {
        NdisSimLine_P(&L, "DmaDescription", 0);
    }
    NdisSimLine_Close(&L);
    NdisSimLine_Open(&L, "result");
    NdisSimLine_P(&L, "NdisMiniportDmaHandle", NdisMiniportDmaHandle ? *NdisMiniportDmaHandle : 0);
    NdisSimLine_U(&L, "ScatterGatherListSize", DmaDescription ? DmaDescription->ScatterGatherListSize : 0);
    NdisSimLine_Close(&L);
    NdisSimLine_Status(&L, "status", Status);
    NdisSimLine_End(&L);
    return Status;
}

static inline VOID NdisSim_NdisMDeregisterScatterGatherDma(NDIS_HANDLE NdisMiniportDmaHandle) {
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisMDeregisterScatterGatherDma", NDIS_SIM_CURRENT_IRQL());
    NdisSimLine_P(&L, "NdisMiniportDmaHandle", NdisMiniportDmaHandle);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
    NdisMDeregisterScatterGatherDma(NdisMiniportDmaHandle);
}

/* ---- Miniport shared memory (SPEC 5.1, 5.4) ----------------------------------------------------- */

static inline VOID NdisSim_NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
                                                     PVOID *VirtualAddress, PNDIS_PHYSICAL_ADDRESS PhysicalAddress) {
    KIRQL Irql = NDIS_SIM_CURRENT_IRQL();
    NDIS_SIM_LINE L;
    NdisMAllocateSharedMemory(MiniportAdapterHandle, Length, Cached, VirtualAddress, PhysicalAddress);
    NdisSimLine_Call(&L, "NdisMAllocateSharedMemory", Irql);
    NdisSimLine_P(&L, "MiniportAdapterHandle", MiniportAdapterHandle);
    NdisSimLine_U(&L, "Length", Length);
    NdisSimLine_U(&L, "Cached", Cached);
    NdisSimLine_Close(&L);
    NdisSimLine_Open(&L, "result");
    NdisSimLine_P(&L, "VirtualAddress", VirtualAddress ? *VirtualAddress : 0);
    NdisSimLine_X(&L, "PhysicalAddress", PhysicalAddress ? (ULONG64)PhysicalAddress->QuadPart : 0);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
}

static inline VOID NdisSim_NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
                                                 PVOID VirtualAddress, NDIS_PHYSICAL_ADDRESS PhysicalAddress) {
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisMFreeSharedMemory", NDIS_SIM_CURRENT_IRQL());
    NdisSimLine_P(&L, "MiniportAdapterHandle", MiniportAdapterHandle);
    NdisSimLine_U(&L, "Length", Length);
    NdisSimLine_U(&L, "Cached", Cached);
    NdisSimLine_P(&L, "VirtualAddress", VirtualAddress);
    NdisSimLine_X(&L, "PhysicalAddress", (ULONG64)PhysicalAddress.QuadPart);
    NdisSimLine_Close(&L);
    NdisSimLine_End(&L);
    NdisMFreeSharedMemory(MiniportAdapterHandle, Length, Cached, VirtualAddress, PhysicalAddress);
}

/* ---- Ports (SPEC 7.3, 7.7) ---------------------------------------------------------------------- */

static inline NDIS_STATUS NdisSim_NdisMAllocatePort(NDIS_HANDLE NdisMiniportHandle,
                                                    PNDIS_PORT_CHARACTERISTICS PortCharacteristics) {
    KIRQL Irql = NDIS_SIM_CURRENT_IRQL();
    NDIS_SIM_LINE L;
    /* The characteristics are logged as passed in; PortNumber is an out value. */
    NdisSimLine_Call(&L, "NdisMAllocatePort", Irql);
    NdisSimLine_P(&L, "NdisMiniportHandle", NdisMiniportHandle);
    if (PortCharacteristics) {
        const NDIS_PORT_CHARACTERISTICS *C = PortCharacteristics;
        NdisSimLine_Open(&L, "PortCharacteristics");
        NdisSimLine_Header(&L, "Header", &C->Header);
        NdisSimLine_X(&L, "Flags", C->Flags);
        NdisSimLine_U(&L, "Type", (ULONG)C->Type);
        NdisSimLine_U(&L, "MediaConnectState", (ULONG)C->MediaConnectState);
        NdisSimLine_X(&L, "XmitLinkSpeed", C->XmitLinkSpeed);
        NdisSimLine_X(&L, "RcvLinkSpeed", C->RcvLinkSpeed);
        NdisSimLine_U(&L, "Direction", (ULONG)C->Direction);
        NdisSimLine_U(&L, "SendControlState", (ULONG)C->SendControlState);
        NdisSimLine_U(&L, "RcvControlState", (ULONG)C->RcvControlState);
        NdisSimLine_U(&L, "SendAuthorizationState", (ULONG)C->SendAuthorizationState);
        NdisSimLine_U(&L, "RcvAuthorizationState", (ULONG)C->RcvAuthorizationState);
        NdisSimLine_Close(&L);
    } else {
        NdisSimLine_P(&L, "PortCharacteristics", 0);
    }
    NdisSimLine_Close(&L);
    {
        NDIS_STATUS Status = NdisMAllocatePort(NdisMiniportHandle, PortCharacteristics);
        NdisSimLine_Open(&L, "result");
        NdisSimLine_U(&L, "PortNumber", PortCharacteristics ? PortCharacteristics->PortNumber : 0);
        NdisSimLine_Close(&L);
        NdisSimLine_Status(&L, "status", Status);
        NdisSimLine_End(&L);
        return Status;
    }
}

static inline NDIS_STATUS NdisSim_NdisMFreePort(NDIS_HANDLE NdisMiniportHandle, NDIS_PORT_NUMBER PortNumber) {
    KIRQL Irql = NDIS_SIM_CURRENT_IRQL();
    NDIS_STATUS Status = NdisMFreePort(NdisMiniportHandle, PortNumber);
    NDIS_SIM_LINE L;
    NdisSimLine_Call(&L, "NdisMFreePort", Irql);
    NdisSimLine_P(&L, "NdisMiniportHandle", NdisMiniportHandle);
    NdisSimLine_U(&L, "PortNumber", PortNumber);
    NdisSimLine_Close(&L);
    NdisSimLine_Status(&L, "status", Status);
    NdisSimLine_End(&L);
    return Status;
}

#define NDIS_SIM_NdisAllocateMemoryWithTagPriority NdisSim_NdisAllocateMemoryWithTagPriority
#define NDIS_SIM_NdisFreeMemory NdisSim_NdisFreeMemory
#define NDIS_SIM_NdisFreeMemoryWithTagPriority NdisSim_NdisFreeMemoryWithTagPriority
#define NDIS_SIM_NdisFreeMemoryWithTag NdisSim_NdisFreeMemoryWithTag
#define NDIS_SIM_NdisMRegisterScatterGatherDma NdisSim_NdisMRegisterScatterGatherDma
#define NDIS_SIM_NdisMDeregisterScatterGatherDma NdisSim_NdisMDeregisterScatterGatherDma
#define NDIS_SIM_NdisMAllocateSharedMemory NdisSim_NdisMAllocateSharedMemory
#define NDIS_SIM_NdisMFreeSharedMemory NdisSim_NdisMFreeSharedMemory
#define NDIS_SIM_NdisMAllocatePort NdisSim_NdisMAllocatePort
#define NDIS_SIM_NdisMFreePort NdisSim_NdisMFreePort

#else /* NDIS_SIM_TRACE_DISABLE: the plain DDIs, no logging */

#define NDIS_SIM_TRACE_HEADER(DriverName) ((void)0)
#define NDIS_SIM_TRACE_ENTER(Callback, Driver, Adapter) ((void)0)
#define NDIS_SIM_TRACE_ENTER_ARG(Callback, Driver, Adapter, ArgName, Value) ((void)0)
#define NDIS_SIM_TRACE_EXIT(Callback, Driver, Adapter) ((void)0)
#define NDIS_SIM_TRACE_EXIT_STATUS(Callback, Driver, Adapter, Status) ((void)0)
#define NDIS_SIM_TRACE_IRQL() ((void)0)
#define NDIS_SIM_TRACE_EDGE(Edge, Driver, Adapter) ((void)0)
#define NDIS_SIM_TRACE_READ_ACCESS(Address, Size) ((void)0)
#define NDIS_SIM_TRACE_WRITE_ACCESS(Address, Size) ((void)0)
#define NDIS_SIM_TRACE_INITIALIZE_RETURN(Driver, Adapter, Status) ((void)0)
#define NDIS_SIM_TRACE_HALT_RETURN(Driver, Adapter) ((void)0)
#define NDIS_SIM_TRACE_UNLOAD_RETURN(Driver) ((void)0)
#define NDIS_SIM_NdisAllocateMemoryWithTagPriority NdisAllocateMemoryWithTagPriority
#define NDIS_SIM_NdisFreeMemory NdisFreeMemory
#define NDIS_SIM_NdisFreeMemoryWithTagPriority NdisFreeMemoryWithTagPriority
#define NDIS_SIM_NdisFreeMemoryWithTag NdisFreeMemoryWithTag
#define NDIS_SIM_NdisMRegisterScatterGatherDma NdisMRegisterScatterGatherDma
#define NDIS_SIM_NdisMDeregisterScatterGatherDma NdisMDeregisterScatterGatherDma
#define NDIS_SIM_NdisMAllocateSharedMemory NdisMAllocateSharedMemory
#define NDIS_SIM_NdisMFreeSharedMemory NdisMFreeSharedMemory
#define NDIS_SIM_NdisMAllocatePort NdisMAllocatePort
#define NDIS_SIM_NdisMFreePort NdisMFreePort

#endif /* NDIS_SIM_TRACE_DISABLE */
#endif /* NDIS_SIM_TRACE_H */
