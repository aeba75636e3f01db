/*
 * ndis-standin.h - a stand-in for the NDIS 6 declarations ndis-sim-trace.h uses, written from
 * ndis-sim's SPEC (reference/SPEC.md sections 1-7 and 10), so the logging layer compiles with gcc
 * where no WDK is installed (mingw-w64's ddk/ndis.h lacks the NDIS 6 DDIs). A real driver includes
 * <ndis.h> instead and does not define NDIS_SIM_STANDIN.
 *
 * Types have the Windows x64 (LLP64) sizes: ULONG is 32 bits even on an LP64 host.
 */
#ifndef NDIS_STANDIN_H
#define NDIS_STANDIN_H

#include <stdint.h>

#define VOID void
typedef void *PVOID;
typedef uint8_t UCHAR;
typedef uint16_t USHORT;
typedef uint32_t ULONG;
typedef uint32_t UINT;
typedef int32_t LONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONG64;
typedef uintptr_t ULONG_PTR;
typedef UCHAR BOOLEAN;
typedef UCHAR KIRQL;
typedef ULONG *PULONG;
typedef char CHAR;

#define TRUE 1
#define FALSE 0

typedef int NDIS_STATUS; /* SPEC 1: signed 32-bit; constants are 32-bit patterns */
typedef PVOID NDIS_HANDLE;
typedef NDIS_HANDLE *PNDIS_HANDLE;
typedef ULONG NDIS_PORT_NUMBER;
typedef NDIS_PORT_NUMBER *PNDIS_PORT_NUMBER;

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    LONGLONG QuadPart;
} LARGE_INTEGER;
typedef LARGE_INTEGER PHYSICAL_ADDRESS;
typedef LARGE_INTEGER NDIS_PHYSICAL_ADDRESS;
typedef NDIS_PHYSICAL_ADDRESS *PNDIS_PHYSICAL_ADDRESS;

/* SPEC 10.1 */
#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)0x00000000L)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)0x00000103L)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)0xC0000001L)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)0xC000009AL)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)0xC00000BBL)
#define NDIS_STATUS_BAD_VERSION ((NDIS_STATUS)0xC0010004L)
#define NDIS_STATUS_INVALID_DATA ((NDIS_STATUS)0xC0010015L)
#define NDIS_STATUS_INVALID_PORT ((NDIS_STATUS)0xC023002DL)
#define NDIS_STATUS_INVALID_PORT_STATE ((NDIS_STATUS)0xC023002EL)

/* SPEC 10.2 (x64) */
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15

/* SPEC 10.3 */
#define NDIS_MEMORY_CONTIGUOUS 0x00000001
#define NDIS_MEMORY_NONCACHED 0x00000002
typedef enum _EX_POOL_PRIORITY {
    LowPoolPriority = 0,
    LowPoolPrioritySpecialPoolOverrun = 8,
    LowPoolPrioritySpecialPoolUnderrun = 9,
    NormalPoolPriority = 16,
    NormalPoolPrioritySpecialPoolOverrun = 24,
    NormalPoolPrioritySpecialPoolUnderrun = 25,
    HighPoolPriority = 32,
    HighPoolPrioritySpecialPoolOverrun = 40,
    HighPoolPrioritySpecialPoolUnderrun = 41
} EX_POOL_PRIORITY;

/* SPEC 1, 10.6 */
typedef struct _NDIS_OBJECT_HEADER {
    UCHAR Type;
    UCHAR Revision;
    USHORT Size;
} NDIS_OBJECT_HEADER;
#define NDIS_OBJECT_TYPE_DEFAULT 0x80
#define NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION 0x83

typedef enum _NDIS_HALT_ACTION {
    NdisHaltDeviceDisabled,
    NdisHaltDeviceInstanceDeInitialized,
    NdisHaltDevicePoweredDown,
    NdisHaltDeviceSurpriseRemoved,
    NdisHaltDeviceFailed,
    NdisHaltDeviceInitializationFailed,
    NdisHaltDeviceStopped
} NDIS_HALT_ACTION;

typedef enum _NDIS_SHUTDOWN_ACTION { NdisShutdownPowerOff, NdisShutdownBugCheck } NDIS_SHUTDOWN_ACTION;

/* SPEC 4.1, 10.4 */
#define NDIS_SG_DMA_64_BIT_ADDRESS 0x00000001
#define NDIS_SG_DMA_DESCRIPTION_REVISION_1 1
#define NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 36
typedef struct _NDIS_SG_DMA_DESCRIPTION {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    ULONG MaximumPhysicalMapping;
    PVOID ProcessSGListHandler;             /* MINIPORT_PROCESS_SG_LIST_HANDLER */
    PVOID SharedMemAllocateCompleteHandler; /* MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER */
    ULONG ScatterGatherListSize;
} NDIS_SG_DMA_DESCRIPTION, *PNDIS_SG_DMA_DESCRIPTION;

/* SPEC 7.2, 10.5 */
#define NDIS_PORT_CHARACTERISTICS_REVISION_1 1
#define NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1 60
#define NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS 0x00000001
typedef enum _NDIS_PORT_TYPE {
    NdisPortTypeUndefined,
    NdisPortTypeBridge,
    NdisPortTypeRasConnection,
    NdisPortType8021xSupplicant
} NDIS_PORT_TYPE;
typedef enum _NDIS_MEDIA_CONNECT_STATE {
    MediaConnectStateUnknown,
    MediaConnectStateConnected,
    MediaConnectStateDisconnected
} NDIS_MEDIA_CONNECT_STATE;
typedef enum _NET_IF_DIRECTION_TYPE {
    NET_IF_DIRECTION_SENDRECEIVE,
    NET_IF_DIRECTION_SENDONLY,
    NET_IF_DIRECTION_RECEIVEONLY
} NET_IF_DIRECTION_TYPE;
typedef enum _NDIS_PORT_CONTROL_STATE {
    NdisPortControlStateUnknown,
    NdisPortControlStateControlled,
    NdisPortControlStateUncontrolled
} NDIS_PORT_CONTROL_STATE;
typedef enum _NDIS_PORT_AUTHORIZATION_STATE {
    NdisPortAuthorizationUnknown,
    NdisPortAuthorized,
    NdisPortUnauthorized,
    NdisPortReauthorizing
} NDIS_PORT_AUTHORIZATION_STATE;
typedef struct _NDIS_PORT_CHARACTERISTICS {
    NDIS_OBJECT_HEADER Header;
    NDIS_PORT_NUMBER PortNumber;
    ULONG Flags;
    NDIS_PORT_TYPE Type;
    NDIS_MEDIA_CONNECT_STATE MediaConnectState;
    ULONG64 XmitLinkSpeed;
    ULONG64 RcvLinkSpeed;
    NET_IF_DIRECTION_TYPE Direction;
    NDIS_PORT_CONTROL_STATE SendControlState;
    NDIS_PORT_CONTROL_STATE RcvControlState;
    NDIS_PORT_AUTHORIZATION_STATE SendAuthorizationState;
    NDIS_PORT_AUTHORIZATION_STATE RcvAuthorizationState;
} NDIS_PORT_CHARACTERISTICS, *PNDIS_PORT_CHARACTERISTICS;

/* The DDIs the logging layer wraps (SPEC 3.1-3.4, 4.1-4.2, 5.1, 5.4, 7.3, 7.7). */
PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag, EX_POOL_PRIORITY Priority);
VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags);
VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag);
VOID NdisFreeMemoryWithTag(PVOID VirtualAddress, ULONG Tag);
NDIS_STATUS NdisMRegisterScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle,
                                          PNDIS_SG_DMA_DESCRIPTION DmaDescription,
                                          PNDIS_HANDLE NdisMiniportDmaHandle);
VOID NdisMDeregisterScatterGatherDma(NDIS_HANDLE NdisMiniportDmaHandle);
VOID NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
                               PVOID *VirtualAddress, PNDIS_PHYSICAL_ADDRESS PhysicalAddress);
VOID NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
                           PVOID VirtualAddress, NDIS_PHYSICAL_ADDRESS PhysicalAddress);
NDIS_STATUS NdisMAllocatePort(NDIS_HANDLE NdisMiniportHandle, PNDIS_PORT_CHARACTERISTICS PortCharacteristics);
NDIS_STATUS NdisMFreePort(NDIS_HANDLE NdisMiniportHandle, NDIS_PORT_NUMBER PortNumber);

/* wdm.h */
KIRQL KeGetCurrentIrql(void);

#endif /* NDIS_STANDIN_H */
