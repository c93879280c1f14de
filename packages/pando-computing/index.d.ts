export * from '@pando/runtime'
