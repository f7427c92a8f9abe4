-- poblacion_medio_libre: personas con una estancia abierta en un establecimiento de medio libre (EML)
-- en la fecha D, por sexo.
SELECT fecha, codigo, sexo, abiertas AS numerador, NULL AS denominador
FROM ocupacion
WHERE tipo = 'EML'
