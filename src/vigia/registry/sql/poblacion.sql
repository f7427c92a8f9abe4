-- poblacion: personas con una estancia abierta en un EP en la fecha D, por sexo.
-- (Estancia abierta en D: ingreso <= D y egreso vacío o posterior a D; ver ocupacion.sql.)
SELECT fecha, codigo, sexo, abiertas AS numerador, NULL AS denominador
FROM ocupacion
WHERE tipo = 'EP'
